#include "ciri/redact.hpp"

#include <catch2/catch.hpp>

#include "parsers/load.hpp"

using namespace ciri;

TEST_CASE("secret names are judged on words", "[redact]") {
    CHECK(is_secret_name("db.password"));
    CHECK(is_secret_name("SECRET_KEY"));
    CHECK(is_secret_name("fs.s3a.access.key"));
    CHECK(is_secret_name("OPENAI_API_KEY"));
    CHECK(is_secret_name("requirepass"));
    CHECK(is_secret_name("hadoop.http.authentication.signature.secret"));
    CHECK(is_secret_name("githubToken"));
    CHECK_FALSE(is_secret_name("key_buffer_size"));
    CHECK_FALSE(is_secret_name("PASSWORD_RESET_TIMEOUT"));
    CHECK_FALSE(is_secret_name("AUTH_PASSWORD_VALIDATORS"));
    CHECK_FALSE(is_secret_name("dfs.replication"));
    CHECK_FALSE(is_secret_name("tokenizer_type"));
    CHECK_FALSE(is_secret_name("ssl_key_file_permissions"));
}

TEST_CASE("values that look like secrets by themselves", "[redact]") {
    CHECK(looks_like_secret("sk-proj-4f9XqL2mZ8vR7tY1wK3nB6cD"));
    CHECK(looks_like_secret("AKIAIOSFODNN7EXAMPLE1234Ab"));
    CHECK(looks_like_secret("postgres://app:hunter2@db:5432/orders"));
    CHECK(looks_like_secret("'-----BEGIN RSA PRIVATE KEY-----\nMIIE'"));
    // A bare hex digest is a checksum or a commit: its name must say when it is a secret.
    CHECK_FALSE(looks_like_secret("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
    CHECK_FALSE(looks_like_secret("org.apache.hadoop.fs.LocalFileSystem"));
    CHECK_FALSE(looks_like_secret("org.apache.hadoop.fs.s3a.S3A"));
    CHECK_FALSE(looks_like_secret("org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"));
    CHECK_FALSE(looks_like_secret("['django.contrib.auth.hashers.PBKDF2PasswordHasher']"));
    CHECK_FALSE(looks_like_secret("org.a.SslFactory2,org.b.KeyStore3Factory"));
    CHECK_FALSE(looks_like_secret("ip-10-0-3-17.ec2.internal"));
    CHECK(looks_like_secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"));
    CHECK_FALSE(looks_like_secret("/var/lib/hadoop-hdfs/cache/namenode2"));
    CHECK_FALSE(looks_like_secret("http://namenode.internal:9870/webhdfs"));
    CHECK_FALSE(looks_like_secret("1800000"));
    CHECK_FALSE(looks_like_secret("${alluxio.work.dir}/journal"));
}

TEST_CASE("redact replaces secret values in text and parameters, keeping keys and lines", "[redact]") {
    std::string text =
        "db.host=db.internal\n"
        "db.password=hunter2-very-secret\n"
        "api.token=abc\n"
        "cache.url=redis://u:pw123456@cache:6379\n"
        "db.password.file=/etc/secret/pw.txt\n"
        "other=abc\n";
    auto file = load_config_bytes("app.properties", text, {});
    REQUIRE(file);
    int count = 0;
    ConfigFile r = redact(*file, &count);
    CHECK(count == 3);
    CHECK(r.text.find("hunter2") == std::string::npos);
    CHECK(r.text.find("pw123456") == std::string::npos);
    CHECK(r.text.find("db.host=db.internal\n") != std::string::npos);
    CHECK(r.text.find("db.password.file=/etc/secret/pw.txt") != std::string::npos);
    // A short secret is replaced only near its own line, never in unrelated text.
    CHECK(r.text.find("api.token=<redacted-2>") != std::string::npos);
    CHECK(r.text.find("other=abc") != std::string::npos);
    REQUIRE(r.params.size() == file->params.size());
    for (size_t i = 0; i < r.params.size(); ++i) {
        CHECK(r.params[i].key == file->params[i].key);
        CHECK(r.params[i].line == file->params[i].line);
    }
    CHECK(r.params[1].value == "<redacted-1>");
    CHECK(file->params[1].value == "hunter2-very-secret");  // the original is untouched
}

TEST_CASE("redact removes private key blocks", "[redact]") {
    ConfigFile f;
    f.text = "tls:\n  key: |\n    -----BEGIN PRIVATE KEY-----\n    MIIEvQIBADANBg\n    -----END PRIVATE KEY-----\n";
    int count = 0;
    auto r = redact(f, &count);
    CHECK(r.text.find("MIIEvQIBADANBg") == std::string::npos);
    CHECK(count == 1);
}

TEST_CASE("redact keeps a URL's scheme, host and path; only the password or token goes", "[redact]") {
    std::string text =
        "cache.url=redis://:Rd-Only-Pw1@cache01:6379/0\n"
        "db.url=jdbc:postgresql://db01:5432/shop?user=app&password=Jdbc-Pw-77&ssl=true\n"
        "alerts.hook=https://hooks.slack.com/services/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\n"
        "docs=https://example.com/docs/getting-started\n";
    auto file = load_config_bytes("app.properties", text, {});
    REQUIRE(file);
    int count = 0;
    auto r = redact(*file, &count);
    CHECK(count == 3);
    CHECK(r.text.find("cache.url=redis://:<redacted-1>@cache01:6379/0\n") != std::string::npos);
    CHECK(r.text.find("db01:5432/shop?user=app&password=<redacted-2>&ssl=true") != std::string::npos);
    CHECK(r.text.find("https://hooks.slack.com/services/T04B7QZ2K/B05C9RX3M/<redacted-3>") != std::string::npos);
    CHECK(r.text.find("docs=https://example.com/docs/getting-started") != std::string::npos);
    CHECK(r.params[0].value == "redis://:<redacted-1>@cache01:6379/0");
}

TEST_CASE("redact rebuilds the text in the spelling the file uses", "[redact]") {
    auto xml = load_config_bytes("core-site.xml",
                                 "<configuration>\n  <property>\n    <name>fs.s3a.secret.key</name>\n"
                                 "    <value>Amp&amp;Sand&lt;Pw&gt;9</value>\n  </property>\n</configuration>\n",
                                 {});
    REQUIRE(xml);
    auto r = redact(*xml);
    CHECK(r.text.find("<value><redacted-1></value>") != std::string::npos);
    CHECK(r.params[0].value == "<redacted-1>");

    auto json = load_config_bytes("app.json", "{\"db\": {\"password\": \"\\u0045scaped-J\\u0073on-Pw\", \"port\": 5432}}\n", {});
    REQUIRE(json);
    CHECK(redact(*json).text == "{\"db\": {\"password\": \"<redacted-1>\", \"port\": 5432}}\n");

    auto props = load_config_bytes("app.properties", "db.password=Contin\\\n    uation-Pw-42\ndb.user=app\n", {});
    REQUIRE(props);
    CHECK(redact(*props).text == "db.password=<redacted-1>\ndb.user=app\n");

    // A spelling not undone (a YAML plain scalar folded over lines): the lines are masked whole.
    auto yaml = load_config_bytes("app.yaml", "db:\n  password: plain-multi\n    line-Secret-9\n  port: 5432\n", {});
    REQUIRE(yaml);
    auto y = redact(*yaml);
    CHECK(y.text.find("line-Secret-9") == std::string::npos);
    CHECK(y.text.find("plain-multi") == std::string::npos);
    CHECK(y.text.find("port: 5432") != std::string::npos);
}

TEST_CASE("redact runs in one pass over long input, without recursion", "[redact]") {
    std::string big(50000, 'a');
    std::string text = "note=" + big + "\n# " + std::string(60000, 'x') + "\ndb.password=" + big + "Z9\nkey=-----BEGIN PRIVATE KEY-----";
    for (int i = 0; i < 1000; ++i) text += "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj";
    text += "-----END PRIVATE KEY-----\n";
    auto file = load_config_bytes("big.properties", text, {});
    REQUIRE(file);
    int count = 0;
    auto r = redact(*file, &count);
    CHECK(count == 2);
    CHECK(r.text.find(big + "Z9") == std::string::npos);
    CHECK(r.text.find("MIIEvQIBADAN") == std::string::npos);
    CHECK(r.text.find("note=" + big) != std::string::npos);
}

TEST_CASE("names and shapes the first probe missed are secrets; look-alikes are not", "[redact]") {
    for (const char* name : {"kafka.ssl.keypassword", "db.pass", "AccountingStoragePass", "AWS_ACCESS_KEY_ID",
                             "aws_secret_access_key", "trustStorePassword", "oauth2-bearer"}) {
        INFO(name);
        CHECK(is_secret_name(name));
    }
    for (const char* name : {"initial-cluster-token", "pad_token", "eos_token", "max_tokens", "password_encryption",
                             "passwordless", "bypass", "ssl.keystore.location"}) {
        INFO(name);
        CHECK_FALSE(is_secret_name(name));
    }
    CHECK(find_secrets("primary_conninfo", "'host=db port=5432 user=rep password=Repl-Pa55 sslmode=require'") ==
          std::vector<std::string>{"Repl-Pa55"});
    CHECK(find_secrets("user", "alice on >Al1ce-acl-Pass ~cache:* +get") == std::vector<std::string>{"Al1ce-acl-Pass"});
    CHECK(find_secrets("Authorization", "Bearer opaque-bearer-0042x") == std::vector<std::string>{"opaque-bearer-0042x"});
    CHECK(find_secrets("DATABASES", "{'default': {'ENGINE': 'django.db.backends.mysql', 'PASSWORD': \"My-Dj-Pass2\"}}") ==
          std::vector<std::string>{"My-Dj-Pass2"});
    CHECK(find_secrets("upstream.auth", "AKIAQ4X7N2M5P8R1T6W9") == std::vector<std::string>{"AKIAQ4X7N2M5P8R1T6W9"});
    for (const char* value : {"meta-llama/Llama-2-70b-hf", "9fceb02d0ae598e95dc970b74767f19372d61af8",
                              "123e4567-e89b-12d3-a456-426614174000", "org.apache.hadoop.fs.s3a.S3AFileSystem",
                              "https://github.com/apache/hadoop.git", "etcd-cluster-1"}) {
        INFO(value);
        CHECK(find_secrets("some.setting", value).empty());
    }
    CHECK(find_secrets("initial-cluster-token", "etcd-cluster-1").empty());
}
