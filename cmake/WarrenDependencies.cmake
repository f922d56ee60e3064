# Every dependency comes from a Debian package; a missing one stops configuration
# with the package to install (cmake/install-deps.sh installs them all).
macro(warren_require found package)
  if(NOT ${found})
    message(FATAL_ERROR "warren: missing dependency; install the Debian package '${package}' "
                        "(or run cmake/install-deps.sh)")
  endif()
endmacro()

find_package(fmt QUIET)
warren_require(fmt_FOUND libfmt-dev)
find_package(nlohmann_json QUIET)
warren_require(nlohmann_json_FOUND nlohmann-json3-dev)
find_package(yaml-cpp QUIET)
warren_require(yaml-cpp_FOUND libyaml-cpp-dev)
find_package(CLI11 QUIET)
warren_require(CLI11_FOUND libcli11-dev)
find_package(Threads REQUIRED)

find_path(ASIO_INCLUDE_DIR asio.hpp)
warren_require(ASIO_INCLUDE_DIR libasio-dev)
add_library(warren_asio INTERFACE)
target_include_directories(warren_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(warren_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED)
target_link_libraries(warren_asio INTERFACE Threads::Threads)
add_library(warren::asio ALIAS warren_asio)

if(WARREN_BUILD_TESTS)
  find_package(Catch2 2 QUIET)
  warren_require(Catch2_FOUND catch2)
  find_program(WARREN_PYTHON3 python3 PATHS /usr/bin NO_DEFAULT_PATH)
  warren_require(WARREN_PYTHON3 python3)
endif()
