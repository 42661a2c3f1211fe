# The third-party libraries of the serving and training components (rank/, events/, catalog
# stores, api/) that the libtorch components never use: skipped with SOUK_TORCH_COMPONENTS_ONLY.
# Included from the top-level CMakeLists.txt.

# XGBoost: the C API of Debian's libxgboost-dev, through pkg-config (its CMake config needs the
# xgboost CLI package as well); only rank/ includes it.
find_package(PkgConfig REQUIRED)
pkg_check_modules(XGBOOST REQUIRED IMPORTED_TARGET xgboost)
add_library(souk_third_party_xgboost INTERFACE)
target_link_libraries(souk_third_party_xgboost INTERFACE PkgConfig::XGBOOST)

# RocksDB: Debian's shared library, found directly (its CMake config also wants gflags and the
# compression libraries' configs); only events/ and catalog stores include it.
find_path(ROCKSDB_INCLUDE_DIR rocksdb/db.h REQUIRED)
find_library(ROCKSDB_LIBRARY rocksdb REQUIRED)
add_library(souk_third_party_rocksdb INTERFACE)
target_include_directories(souk_third_party_rocksdb SYSTEM INTERFACE ${ROCKSDB_INCLUDE_DIR})
target_link_libraries(souk_third_party_rocksdb INTERFACE ${ROCKSDB_LIBRARY})

# prometheus-cpp core (metric families and their text format), found directly (its CMake config
# also wants civetweb's and curl's); only api/ includes it. Its pull library is not used: see
# include/souk/api/metrics_exporter.h.
find_path(PROMETHEUS_INCLUDE_DIR prometheus/text_serializer.h REQUIRED)
find_library(PROMETHEUS_CORE_LIBRARY prometheus-cpp-core REQUIRED)
add_library(souk_third_party_prometheus INTERFACE)
target_include_directories(souk_third_party_prometheus SYSTEM INTERFACE ${PROMETHEUS_INCLUDE_DIR})
target_link_libraries(souk_third_party_prometheus INTERFACE ${PROMETHEUS_CORE_LIBRARY})
