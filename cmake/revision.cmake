# Writes OUT with EDSL_REVISION: the source's `git describe` (its nearest tag, the commits
# since and the commit, "-dirty" with uncommitted changes), or "unknown" from a source
# tarball; rewritten only when it changes, so that every build of a new commit says so and
# an unchanged one recompiles nothing.
execute_process(COMMAND git -C "${SRC}" describe --tags --always --dirty --abbrev=12
                OUTPUT_VARIABLE rev OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc
                ERROR_QUIET)
if(NOT rc EQUAL 0 OR rev STREQUAL "")
  set(rev "unknown")
endif()
set(text "#define EDSL_REVISION \"${rev}\"\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
