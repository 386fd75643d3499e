# Turns a text file into a C++ source defining the array `const char hotframe::NAME[]` (kFlamegraphPage unless
# -DNAME= says otherwise).
# Written as a sequence of short raw-string pieces, since compilers cap the length of one string literal.
if(NOT DEFINED NAME)
    set(NAME kFlamegraphPage)
endif()
file(READ ${INPUT} content)
string(LENGTH "${content}" total)
set(out "// Generated from ${INPUT} by cmake/embed_text.cmake. Do not edit.\n")
string(APPEND out "namespace hotframe {\nextern const char ${NAME}[];\nconst char ${NAME}[] =\n")
set(pos 0)
while(pos LESS total)
    string(SUBSTRING "${content}" ${pos} 2000 piece)
    string(APPEND out "R\"hf_embed(${piece})hf_embed\"\n")
    math(EXPR pos "${pos} + 2000")
endwhile()
string(APPEND out ";\n}  // namespace hotframe\n")
file(WRITE ${OUTPUT} "${out}")
