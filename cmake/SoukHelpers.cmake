# souk_add_library(<comp> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
#   One static library per component, aliased souk::<comp>. DEPS are public (they appear in the
#   component's headers); third-party libraries belong in PRIVATE_DEPS unless a header needs them.
function(souk_add_library comp)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(souk_${comp} STATIC ${ARG_SOURCES})
  add_library(souk::${comp} ALIAS souk_${comp})
  target_include_directories(souk_${comp} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                          PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(souk_${comp} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  souk_target_warnings(souk_${comp})
endfunction()

# souk_add_test(<name> SOURCES ... DEPS ... [LABELS ...])
#   One GoogleTest binary; its tests are discovered by ctest and labelled (default: unit).
function(souk_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} souk::test_support GTest::gmock GTest::gtest_main)
  souk_target_warnings(${name})
  gtest_discover_tests(${name} PROPERTIES LABELS "${ARG_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()

function(souk_target_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(SOUK_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
