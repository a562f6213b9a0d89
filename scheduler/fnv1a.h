#pragma once

#include <QByteArrayView>
#include <QtGlobal>

#include <type_traits>

// The one FNV-1a (Fowler–Noll–Vo) in the project, 32 or 64 bit, fed a byte at a time so callers
// can hash what they build on the stack: the smoothing and catch-up hashes of SPEC section 1
// (32 bit) and the stored-schedule fingerprint (64 bit).
template<typename Word> class Fnv1a final
{
    static_assert(std::is_same_v<Word, quint32> || std::is_same_v<Word, quint64>);

public:
    static constexpr Word Offset = sizeof(Word) == 4 ? Word(0x811c9dc5u) : Word(14695981039346656037ULL);
    static constexpr Word Prime = sizeof(Word) == 4 ? Word(0x01000193u) : Word(1099511628211ULL);

    constexpr void byte(unsigned char b)
    {
        m_hash ^= b;
        m_hash *= Prime;
    }
    constexpr void bytes(QByteArrayView data)
    {
        for (const char c : data)
            byte(static_cast<unsigned char>(c));
    }
    constexpr Word value() const { return m_hash; }

private:
    Word m_hash = Offset;
};

using Fnv1a32 = Fnv1a<quint32>;
using Fnv1a64 = Fnv1a<quint64>;

// FNV-1a, 32 bit, over `data`.
constexpr quint32 fnv1a32(QByteArrayView data)
{
    Fnv1a32 h;
    h.bytes(data);
    return h.value();
}
