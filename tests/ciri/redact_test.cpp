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
