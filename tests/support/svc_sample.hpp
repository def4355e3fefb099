// A made-up service's valid configuration, shared by the injection tests so that nothing
// leans on a known system's conventions: one parameter of each kind the generation rules need.
#pragma once

namespace ciri::test {

inline constexpr const char* kSvcConfig =
    "svc.rpc.port=8020\n"
    "svc.bind.host=10.0.0.1\n"
    "svc.data.dir=/var/lib/svc/data\n"
    "svc.store.url=hdfs://nn:8020/store\n"
    "svc.data.umask=022\n"
    "svc.worker.threads=8\n"
    "svc.cache.enabled=true\n"
    "svc.codec=FAST\n"
    "svc.flush.timeout=30s\n"
    "svc.compaction.min.size=1024\n"
    "svc.compaction.max.size=4096\n"
    "svc.tls.enabled=true\n"
    "svc.tls.verify=true\n";

}  // namespace ciri::test
