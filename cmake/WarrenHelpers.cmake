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
# DYNAMIC_RUNTIME: libstdc++ stays shared, for warren-server, which loads plugins that
# must share one C++ runtime with it.
function(warren_binary name)
  cmake_parse_arguments(ARG "DYNAMIC_RUNTIME" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  if(NOT ARG_DYNAMIC_RUNTIME)
    target_link_options(${name} PRIVATE -static-libstdc++ -static-libgcc)
  endif()
  install(TARGETS ${name} RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endfunction()

# warren_plugin(<name> SOURCES ... DESCRIPTION "..." [DEPENDS <plugin> ...]): a loadable
# plugin (lib/plugin/api.h) and its manifest, built into <build>/lib/warren/plugins and
# installed into the plugins directory. A plugin links no part of warren: it calls the
# node through the interface's virtual functions only, which --no-undefined enforces.
file(STRINGS ${PROJECT_SOURCE_DIR}/lib/plugin/api.h WARREN_ABI_LINE
     REGEX "kAbiVersion = [0-9]+;")
string(REGEX MATCH "kAbiVersion = ([0-9]+)" WARREN_ABI_MATCH "${WARREN_ABI_LINE}")
set(WARREN_PLUGIN_ABI ${CMAKE_MATCH_1})
# A new ABI version rewrites the manifests.
set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${PROJECT_SOURCE_DIR}/lib/plugin/api.h)
set(WARREN_PLUGINS_BUILD_DIR ${PROJECT_BINARY_DIR}/lib/warren/plugins)
function(warren_plugin name)
  cmake_parse_arguments(ARG "" "DESCRIPTION;OUTPUT_DIR" "SOURCES;DEPENDS" ${ARGN})
  if(NOT ARG_OUTPUT_DIR)
    set(ARG_OUTPUT_DIR ${WARREN_PLUGINS_BUILD_DIR})
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
                        VISIBILITY_INLINES_HIDDEN ON LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIR})
  target_link_libraries(${name} PRIVATE warren::plugin_api)
  target_link_options(${name} PRIVATE -Wl,--no-undefined)
  set(deps "")
  foreach(d ${ARG_DEPENDS})
    list(APPEND deps "\"${d}\"")
  endforeach()
  list(JOIN deps ", " deps)
  file(WRITE ${ARG_OUTPUT_DIR}/${name}.plugin.json
       "{\"name\": \"${name}\", \"version\": \"${PROJECT_VERSION}\", \"description\": \"${ARG_DESCRIPTION}\", \"dependencies\": [${deps}], \"abi\": ${WARREN_PLUGIN_ABI}, \"library\": \"${name}.so\"}\n")
endfunction()

# warren_installed_plugin(<name> ...): warren_plugin, installed with warren.
function(warren_installed_plugin name)
  warren_plugin(${name} ${ARGN})
  install(TARGETS ${name} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/warren/plugins)
  install(FILES ${WARREN_PLUGINS_BUILD_DIR}/${name}.plugin.json
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/warren/plugins)
endfunction()
