# Embeds a file as a byte array so the code can load it as data:
#   cmake -DIN=docs/kinds.md -DOUT=kinds_md.cc -DNAME=kKindsMarkdown -P embed_file.cmake
# defines `const unsigned char NAME[]` (NUL-terminated) and `const size_t NAMESize`
# in namespace whittle::pkg, or in -DNAMESPACE=... (the report page's assets).
# Bytes, not a raw string literal, so any content is safe.
if(NOT NAMESPACE)
  set(NAMESPACE whittle::pkg)
endif()
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hex_len)
math(EXPR size "${hex_len} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){24})" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "// Generated from ${IN} by src/pkg/embed_file.cmake. Do not edit.\n"
  "#include <cstddef>\n"
  "namespace ${NAMESPACE} {\n"
  "extern const unsigned char ${NAME}[];\n"
  "extern const size_t ${NAME}Size;\n"
  "const unsigned char ${NAME}[] = {\n${bytes}0x00};\n"
  "const size_t ${NAME}Size = ${size};\n"
  "}  // namespace ${NAMESPACE}\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
