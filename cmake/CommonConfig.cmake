# One INTERFACE target carries the language standard, the warnings and the Qt hygiene defines;
# every target of the project links it (the qBittorrent CommonConfig pattern).
add_library(es_common INTERFACE)
target_compile_features(es_common INTERFACE cxx_std_20)
target_compile_definitions(es_common INTERFACE
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CONTEXTLESS_CONNECT
    QT_USE_QSTRINGBUILDER
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_DISABLE_DEPRECATED_UP_TO=0x060400
)
target_compile_options(es_common INTERFACE -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor)
if(ES_WARNINGS_AS_ERRORS)
    target_compile_options(es_common INTERFACE -Werror)
endif()

# Sanitizers for every target, e.g. -DES_SANITIZE=address,undefined (a GCC/Clang -fsanitize= list).
# .ci/run builds and tests the whole project once more this way; see docs/CONVENTIONS.md.
set(ES_SANITIZE "" CACHE STRING "Comma-separated sanitizers to build every target with, e.g. address,undefined")
if(ES_SANITIZE)
    set(es_sanitize_flags -fsanitize=${ES_SANITIZE} -fno-omit-frame-pointer)
    if(ES_SANITIZE MATCHES "undefined")
        # UBSan would otherwise print and carry on: make every finding fatal, like ASan's.
        list(APPEND es_sanitize_flags -fno-sanitize-recover=all)
    endif()
    target_compile_options(es_common INTERFACE ${es_sanitize_flags})
    target_link_options(es_common INTERFACE ${es_sanitize_flags})
    message(STATUS "Sanitizers: ${ES_SANITIZE}")
endif()
