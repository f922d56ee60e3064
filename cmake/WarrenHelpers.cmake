# warren_library(<subsystem> SOURCES ... DEPS ...)
#   builds the static library warren::<subsystem> from lib/<subsystem>/.
#   Includes are rooted at lib/; the dependency graph is what DEPS says (see lib/README.md).
function(warren_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(warren_${name} STATIC ${ARG_SOURCES})
  add_library(warren::${name} ALIAS warren_${name})
  target_include_directories(warren_${name} PUBLIC ${PROJECT_SOURCE_DIR}/lib)
  set_target_properties(warren_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  target_link_libraries(warren_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
endfunction()

# warren_test(<name> SOURCES ... DEPS ...): one Catch2 executable; each TEST_CASE is a ctest.
function(warren_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} Catch2::Catch2WithMain)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/lib ${PROJECT_SOURCE_DIR}/tests)
  catch_discover_tests(${name} TEST_PREFIX "${name}: ")
endfunction()

# warren_binary(<name> SOURCES ... DEPS ...): an installed program; libstdc++ is linked
# statically because a CLI call's cost is mostly process start (docs/decisions.md).
function(warren_binary name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -static-libstdc++ -static-libgcc)
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endfunction()
