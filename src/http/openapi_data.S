/*
 * The OpenAPI 3 document (src/http/openapi.json, kept by hand beside the routes table) compiled
 * into the program and NUL-terminated. CMake puts src/http on the include path of this file.
 */
    .section .rodata
    .balign 16

    .global baoxue_openapi_json
baoxue_openapi_json:
    .incbin "openapi.json"
    .byte 0

    .section .note.GNU-stack,"",@progbits
