# Writes what `cmake --install` puts beside the binary, from the binary itself
# (BIN): the man page (whittle --help-man) and the bash, zsh and fish
# completions (whittle --completions SHELL), under OUT. A failed run fails
# the build; a file is rewritten only when its content changed.
function(whittle_write out)
  execute_process(COMMAND ${BIN} ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BIN} ${ARGN}: exit ${rc}: ${err}")
  endif()
  if(EXISTS "${out}")
    file(READ "${out}" old)
    if(old STREQUAL text)
      return()
    endif()
  endif()
  file(WRITE "${out}" "${text}")
endfunction()

whittle_write(${OUT}/man/man1/whittle.1 --help-man)
whittle_write(${OUT}/bash-completion/completions/whittle --completions bash)
whittle_write(${OUT}/zsh/vendor-completions/_whittle --completions zsh)
whittle_write(${OUT}/fish/vendor_completions.d/whittle.fish --completions fish)
