# Build helpers: RTL file lists, Verilated models, verilated unit tests, lint and synthesis checks.

set(PNM_RTL_DIR ${CMAKE_SOURCE_DIR}/rtl)
# Every RTL file, packages first (they must be read before their users).
file(GLOB_RECURSE PNM_RTL_PKGS CONFIGURE_DEPENDS ${PNM_RTL_DIR}/*_pkg.sv)
file(GLOB_RECURSE PNM_RTL_ALL CONFIGURE_DEPENDS ${PNM_RTL_DIR}/*.sv)
list(REMOVE_ITEM PNM_RTL_ALL ${PNM_RTL_PKGS})
# rtl/boards: board wrappers with vendor primitives, read only by scripts/fpga.sh.
list(FILTER PNM_RTL_ALL EXCLUDE REGEX "/rtl/boards/")
file(GLOB PNM_RTL_DIRS LIST_DIRECTORIES true ${PNM_RTL_DIR}/*)
list(FILTER PNM_RTL_DIRS EXCLUDE REGEX "\\.|/boards$")

# Verilator switches for every simulated model: all warnings, assertions on, X values randomised
# (per seed, see tb/common/sim.hpp) so reset bugs show up, 1 ns clock in waves.
set(PNM_VERILATOR_WAIVERS ${PNM_RTL_DIR}/common/pnm_waivers.vlt)
set(PNM_VERILATOR_ARGS -Wall ${PNM_VERILATOR_WAIVERS} --assert --x-assign unique --x-initial unique
    --timescale 1ns/1ps -O3 --output-split 20000)
# Extra switches for every model, for one-off builds (e.g. --prof-cfuncs for a profile by
# always block: docs/performance.md).
set(PNM_EXTRA_VL_ARGS "" CACHE STRING "extra Verilator arguments of every model")
set(PNM_OPT_FAST "-O2" CACHE STRING "compiler flags of the Verilated models' per-cycle code")

# The Verilator runtime ("global classes, linked once per executable") is built once for the
# whole project instead of once per model: verilate() adds it to every model, pnm_verilate takes
# it out again. Saves a minute of a clean build on two cores.
add_library(pnm_verilator_runtime STATIC
  ${VERILATOR_ROOT}/include/verilated.cpp
  ${VERILATOR_ROOT}/include/verilated_fst_c.cpp
  ${VERILATOR_ROOT}/include/verilated_threads.cpp)
target_include_directories(pnm_verilator_runtime SYSTEM PUBLIC
  ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
target_compile_definitions(pnm_verilator_runtime PUBLIC
  VM_TRACE=1 VM_TRACE_FST=1 VM_TRACE_VCD=0 VM_COVERAGE=0 VM_SC=0)
target_link_libraries(pnm_verilator_runtime PUBLIC ZLIB::ZLIB Threads::Threads)

# pnm_verilate(<lib> TOP <module> [NO_TRACE] [SOURCES <files>] [PARAMS Name=Value ...]
#              [ARGS <verilator args>])
# One static library per Verilated model, class V<lib>, header V<lib>.h. SOURCES defaults to the
# packages plus <module>.sv; Verilator finds every other module by name in the RTL folders (-y),
# so a model depends only on the files it really reads and an RTL edit rebuilds only its users.
# Every model can write FST waves unless NO_TRACE, which leaves Verilator's trace code out (the
# split pnmsim models, which never write waves: a shorter build, the same run time;
# docs/decisions.md).
function(pnm_verilate lib)
  cmake_parse_arguments(A "NO_TRACE" "TOP" "SOURCES;PARAMS;ARGS" ${ARGN})
  set(trace TRACE_FST)
  if(A_NO_TRACE)
    set(trace)
  endif()
  if(NOT A_SOURCES)
    set(top_file ${PNM_RTL_ALL})
    list(FILTER top_file INCLUDE REGEX "/${A_TOP}\\.sv$")
    if(NOT top_file)
      message(FATAL_ERROR "pnm_verilate: no rtl/*/${A_TOP}.sv; give SOURCES")
    endif()
    set(A_SOURCES ${PNM_RTL_PKGS} ${top_file})
  endif()
  set(gen_args)
  foreach(d IN LISTS PNM_RTL_DIRS)
    list(APPEND gen_args -y ${d})
  endforeach()
  foreach(p IN LISTS A_PARAMS)
    list(APPEND gen_args -G${p})
  endforeach()
  add_library(${lib} STATIC)
  verilate(${lib}
    SOURCES ${A_SOURCES}
    TOP_MODULE ${A_TOP}
    PREFIX V${lib}
    ${trace}
    INCLUDE_DIRS ${PNM_RTL_DIRS}
    VERILATOR_ARGS ${PNM_VERILATOR_ARGS} ${PNM_EXTRA_VL_ARGS} ${gen_args} ${A_ARGS}
    OPT_FAST ${PNM_OPT_FAST})
  if(A_NO_TRACE)
    # The runtime is built once with tracing (VM_TRACE=1 on everything that links it): say the
    # same here, or the model's own VM_TRACE=0 redefines it. Only the model lacks trace code.
    set_target_properties(${lib} PROPERTIES VERILATOR_TRACE ON VERILATOR_TRACE_FST ON)
  endif()
  get_target_property(srcs ${lib} SOURCES)
  list(FILTER srcs EXCLUDE REGEX "^${VERILATOR_ROOT}/include/")
  set_property(TARGET ${lib} PROPERTY SOURCES ${srcs})
  target_link_libraries(${lib} PUBLIC pnm_verilator_runtime)
endfunction()

# pnm_model_defs(<target> <model class> [Name=Value ...])
# Lets C++ sources of <target> name the model (PNM_MODEL, PNM_MODEL_HEADER) and its parameters
# (PNM_P_<Name>), so one source serves several parameter sets.
function(pnm_model_defs target model)
  set(defs PNM_MODEL=${model} PNM_MODEL_HEADER="${model}.h")
  foreach(p IN LISTS ARGN)
    string(REPLACE "=" ";" kv ${p})
    list(GET kv 0 k)
    list(GET kv 1 v)
    if(v MATCHES "^1'b([01])$")  # a bit parameter: its value as a C++ integer
      set(v ${CMAKE_MATCH_1})
    endif()
    list(APPEND defs PNM_P_${k}=${v})
  endforeach()
  target_compile_definitions(${target} PRIVATE ${defs})
endfunction()

# pnm_verilated_test(<name> TOP <module> TESTS <cpp files> [SOURCES <sv>] [PARAMS Name=Value ...]
#                    [LIBS <libs>] [ARGS <extra verilator args>])
# Verilates TOP with PARAMS into model V<name> and builds GoogleTest binary test_<name> from TESTS.
# The test sources see PNM_MODEL (the class), PNM_MODEL_HEADER and PNM_P_<Name> per parameter,
# so one test file serves several parameter sets. Tests are registered as <name>.<Suite>.<Test>.
function(pnm_verilated_test name)
  cmake_parse_arguments(A "" "TOP" "TESTS;SOURCES;PARAMS;LIBS;ARGS" ${ARGN})
  pnm_verilate(${name} TOP ${A_TOP} SOURCES ${A_SOURCES} PARAMS ${A_PARAMS} ARGS ${A_ARGS})
  add_executable(test_${name} ${A_TESTS})
  pnm_model_defs(test_${name} V${name} ${A_PARAMS})
  target_compile_options(test_${name} PRIVATE ${PNM_CXX_WARNINGS})
  target_link_libraries(test_${name} PRIVATE ${name} pnm_tb_common ${A_LIBS})
  gtest_discover_tests(test_${name} TEST_PREFIX "${name}." DISCOVERY_MODE PRE_TEST
                       PROPERTIES LABELS "unit")
endfunction()

# pnm_synth_check(<top> [PARAMS Name=Value ...] [NAME <test name>])
# ctest: Yosys synthesises <top> from every RTL file; fails on errors, on any latch, on `check`
# problems; prints the cell counts (stat).
function(pnm_synth_check top)
  cmake_parse_arguments(A "" "NAME" "PARAMS" ${ARGN})
  if(NOT A_NAME)
    set(A_NAME ${top})
  endif()
  add_test(NAME synth.${A_NAME}
           COMMAND ${CMAKE_SOURCE_DIR}/scripts/synth_check.sh ${top} ${A_PARAMS})
  set_tests_properties(synth.${A_NAME} PROPERTIES LABELS "static")
endfunction()
