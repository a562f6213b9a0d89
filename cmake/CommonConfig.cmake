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
