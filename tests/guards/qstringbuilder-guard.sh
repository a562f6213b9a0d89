#!/bin/sh
# Fails on QStringBuilder expressions that outlive their operands (see docs/CONVENTIONS.md).
#
# The project defines QT_USE_QSTRINGBUILDER, so `a % b` and string `a + b` are lazy
# QStringBuilder objects holding references to their operands. Kept in an `auto` variable or
# returned from a lambda / `auto` function with a deduced return type, they outlive the
# temporaries they refer to and read freed memory later. This guard flags:
#   1. an `auto` variable whose initialiser has, outside any brackets, a `%`, or a binary `+`
#      next to something string-like (a literal, QString..., .arg(, tr(, ...);
#   2. a `return` of such an expression from a lambda without a trailing return type (or with
#      `-> auto`) or from a function declared `auto name(...)` without one.
# It is a token scanner, not a compiler: it does not know types. `auto n = a + b;` with two
# QString variables and no string-like token is missed; `auto r = i % 7;` on integers is
# flagged (spell the type: `const int r = i % 7;`). Macros are not expanded.
#
# Usage: qstringbuilder-guard.sh FILE...           report findings, exit 1 if any
#        qstringbuilder-guard.sh --tree DIR         scan the project's sources under DIR
#        qstringbuilder-guard.sh --self-test FILE   every line marked "EXPECT-FLAG" must be
#                                                   flagged, and no other line
set -eu

scan() {
    awk '
function flush_tok() {
    if (tok != "") { nt++; T[nt] = tok; TL[nt] = tokline; TF[nt] = FILENAME; tok = "" }
}
function emit(s, ln) { flush_tok(); nt++; T[nt] = s; TL[nt] = ln; TF[nt] = FILENAME }
function isident(c) { return c ~ /[A-Za-z0-9_]/ }
# --- tokenizer: comments dropped, string and char literals become one token "STR" -----------
FNR == 1 { st = "code"; tok = "" }
{
    line = $0; n = length(line); i = 1
    if (st == "linecomment") st = "code"
    while (i <= n) {
        c = substr(line, i, 1)
        if (st == "block") {
            if (c == "*" && substr(line, i + 1, 1) == "/") { st = "code"; i += 2 } else i++
            continue
        }
        if (st == "raw") {
            p = index(substr(line, i), rawend)
            if (p == 0) { i = n + 1 } else { i += p - 1 + length(rawend); st = "code" }
            continue
        }
        if (st == "str" || st == "chr") {
            q = (st == "str") ? "\"" : "\047"
            if (c == "\\") { i += 2; continue }
            if (c == q) st = "code"
            i++
            continue
        }
        # code
        if (c == "/" && substr(line, i + 1, 1) == "/") { flush_tok(); i = n + 1; continue }
        if (c == "/" && substr(line, i + 1, 1) == "*") { flush_tok(); st = "block"; i += 2; continue }
        if (c == "\"") {
            if (tok ~ /^(u8|u|U|L)?R$/) {
                tok = ""
                rest = substr(line, i + 1); p = index(rest, "(")
                rawend = ")" substr(rest, 1, p - 1) "\""
                emit("STR", FNR); st = "raw"; i += p + 1
                continue
            }
            if (tok ~ /^(u8|u|U|L)$/) tok = ""
            emit("STR", FNR); st = "str"; i++; continue
        }
        if (c == "\047") {
            if (tok ~ /^[0-9]/) { tok = tok c; i++; continue } # digit separator
            if (tok ~ /^(u8|u|U|L)$/) tok = ""
            emit("STR", FNR); st = "chr"; i++; continue
        }
        if (isident(c) || (c == "." && tok ~ /^[0-9]/)) {
            if (tok == "") tokline = FNR
            tok = tok c; i++; continue
        }
        flush_tok()
        if (c ~ /[ \t\r]/) { i++; continue }
        if (c == "#" && substr(line, 1, i - 1) ~ /^[ \t]*$/) { i = n + 1; continue } # preprocessor
        two = substr(line, i, 2)
        if (two == "->" || two == "::" || two == "++" || two == "+=" || two == "%=" || two == "==" \
            || two == "&&" || two == "||" || two == "!=" || two == "<=" || two == ">=" || two == "--") {
            emit(two, FNR); i += 2; continue
        }
        emit(c, FNR); i++
    }
    flush_tok()
}
# --- analysis --------------------------------------------------------------------------------
function stringish(t, nx) {
    if (t == "STR" || t ~ /^(QString|QStringLiteral|QLatin1String|QLatin1StringView|QLatin1Char|QByteArray|QByteArrayLiteral|QChar|QStringView|QUtf8StringView|QAnyStringView|_s|_L1|_ba)$/)
        return 1
    return nx == "(" && t ~ /^(tr|arg|toString|join|trimmed|simplified|left|right|mid|sliced|chopped|first|last|toUpper|toLower|fileName|filePath|absoluteFilePath|absolutePath|path|number|fromUtf8|fromLatin1|fromLocal8Bit|repeated|section|toHtmlEscaped|errorString|text)$/
}
function operand(t) { return t == "STR" || t == ")" || t == "]" || t ~ /^[A-Za-z0-9_]/ }
# Is the expression T[a..b] a string expression whose QStringBuilder would dangle?
function danglingexpr(a, b,    d, k, t, pct, plus, s) {
    d = 0; pct = 0; plus = 0; s = 0
    for (k = a; k <= b; k++) {
        t = T[k]
        if (t == "(" || t == "[" || t == "{") { d++; continue }
        if (t == ")" || t == "]" || t == "}") { d--; continue }
        if (d != 0) continue
        if (t == "%") pct = 1
        if (t == "+" && k > a && operand(T[k - 1])) plus = 1
        if (stringish(t, T[k + 1])) s = 1
    }
    return pct || (plus && s)
}
# Last token of the expression starting at a: before the first ";" or "," at depth 0, or
# before a closing bracket that ends the enclosing construct.
function exprend(a,    d, k, t) {
    d = 0
    for (k = a; k <= nt; k++) {
        t = T[k]
        if (t == "(" || t == "[" || t == "{") d++
        else if (t == ")" || t == "]" || t == "}") { if (d == 0) return k - 1; d-- }
        else if (d == 0 && (t == ";" || t == ",")) return k - 1
    }
    return nt
}
function report(k, what) {
    printf "%s:%d: %s\n", TF[k], TL[k], what
    found++
}
# After a parameter list ending at k (exclusive of it): skip specifiers; return the index of the
# body "{" and set DEDUCED, or 0 when no body follows.
function bodyafter(k,    t, rt) {
    DEDUCED = 1
    while (k <= nt) {
        t = T[k]
        if (t == "{") return k
        if (t == "->") {
            rt = ""
            for (k++; k <= nt && T[k] != "{" && T[k] != ";"; k++) rt = rt " " T[k]
            DEDUCED = (rt ~ /(^| )auto( |$)/)
            return (T[k] == "{") ? k : 0
        }
        if (t == "(" || t == "[") { k = M[k] + 1; continue }
        if (t ~ /^(mutable|constexpr|consteval|noexcept|static|const|override|final|volatile|throw|requires|&|&&)$/) { k++; continue }
        return 0
    }
    return 0
}
END {
    # matching brackets
    sp = 0
    for (k = 1; k <= nt; k++) {
        t = T[k]
        if (t == "(" || t == "[" || t == "{") { S[++sp] = k }
        else if ((t == ")" || t == "]" || t == "}") && sp > 0) { M[S[sp]] = k; M[k] = S[sp]; sp-- }
    }
    nb = 0
    for (k = 1; k <= nt; k++) {
        t = T[k]
        if (t == "auto" && T[k - 1] != "->") {
            j = k + 1
            while (T[j] == "&" || T[j] == "&&" || T[j] == "const") j++
            if (T[j] !~ /^[A-Za-z_]/) continue        # pointer, structured binding, ...
            while (T[j + 1] == "::" && T[j + 2] ~ /^[A-Za-z_~]/) j += 2
            nx = T[j + 1]
            if (nx == "=" ) {
                if (danglingexpr(j + 2, exprend(j + 2))) report(k, "auto variable holds a string expression (QStringBuilder): give it a type, e.g. const QString")
            } else if (nx == "{") {
                if (danglingexpr(j + 2, M[j + 1] - 1)) report(k, "auto variable holds a string expression (QStringBuilder): give it a type, e.g. const QString")
            } else if (nx == "(") {
                closing = M[j + 1]
                if (T[closing + 1] == ";") {
                    if (danglingexpr(j + 2, closing - 1)) report(k, "auto variable holds a string expression (QStringBuilder): give it a type, e.g. const QString")
                } else {
                    b = bodyafter(closing + 1)
                    if (b) { nb++; BS[nb] = b; BE[nb] = M[b]; BD[nb] = DEDUCED }
                }
            }
        } else if (t == "[" && T[k + 1] != "[" && T[k - 1] != "[") {
            pv = T[k - 1]
            if ((operand(pv) && pv !~ /^(return|co_return|case)$/) || pv == ">") continue  # subscript
            j = M[k] + 1
            if (j == 1) continue
            if (T[j] == "<") { while (j <= nt && T[j] != ">") j++; j++ }
            if (T[j] == "(") j = M[j] + 1
            b = bodyafter(j)
            if (b) { nb++; BS[nb] = b; BE[nb] = M[b]; BD[nb] = DEDUCED }
        }
    }
    # returns: judged by the innermost lambda / auto function body around them
    for (k = 1; k <= nt; k++) {
        if (T[k] != "return") continue
        best = 0
        for (x = 1; x <= nb; x++)
            if (BS[x] < k && k < BE[x] && (best == 0 || BS[x] > BS[best])) best = x
        if (best && BD[best] && danglingexpr(k + 1, exprend(k + 1)))
            report(k, "deduced return type returns a string expression (QStringBuilder): add -> QString")
    }
    exit found ? 1 : 0
}' "$@"
}

tree_files() {
    for d in app bench model scheduler tests ui; do
        [ -d "$1/$d" ] && find "$1/$d" \( -name '*.cpp' -o -name '*.h' \) -type f
    done | LC_ALL=C sort
}

case "${1:-}" in
--tree)
    files=$(tree_files "$2")
    # shellcheck disable=SC2086 # file names of this project have no spaces
    scan $files
    ;;
--self-test)
    got=$(scan "$2" | sed 's/^[^:]*:\([0-9]*\):.*/\1/' | sort -n | tr '\n' ' ') || true
    want=$(grep -n 'EXPECT-FLAG' "$2" | cut -d: -f1 | sort -n | tr '\n' ' ')
    if [ "$got" != "$want" ]; then
        echo "self-test failed on $2"
        echo "  flagged lines:  $got"
        echo "  expected lines: $want"
        exit 1
    fi
    echo "self-test passed: lines $got flagged, nothing else"
    ;;
*)
    scan "$@"
    ;;
esac
