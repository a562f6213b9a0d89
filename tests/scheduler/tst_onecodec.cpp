#include "contact.h"
#include "dates.h"
#include "datetext.h"
#include "emailtypes.h"
#include "fnv1a.h"

#include <QTest>

using namespace Qt::StringLiterals;

// The shared codecs of issue 8 ("one of each"): the YYYY-MM-DD text of a date, FNV-1a at 32 and
// 64 bits, the email-type name table and the contact field <-> column table.
class TestOneCodec : public QObject
{
    Q_OBJECT

private slots:
    void dateWrite_data();
    void dateWrite();
    void dateParse_data();
    void dateParse();
    void dateRoundTripEveryDayOfALeapYear();
    void fnvKnownVectors();
    void fnvTextAndBytesAgree();
    void emailTypeNamesRoundTrip();
    void contactFieldsCoverEveryTextMember();
};

void TestOneCodec::dateWrite_data()
{
    QTest::addColumn<QDate>("date");
    QTest::addColumn<QString>("expected"); // empty: write() refuses

    QTest::newRow("ordinary") << QDate(2025, 3, 3) << u"2025-03-03"_s;
    QTest::newRow("first year") << QDate(1, 1, 1) << u"0001-01-01"_s;
    QTest::newRow("last day") << QDate(9999, 12, 31) << u"9999-12-31"_s;
    QTest::newRow("leap day") << QDate(2024, 2, 29) << u"2024-02-29"_s;
    QTest::newRow("year 10000") << QDate(10000, 1, 1) << QString();
    QTest::newRow("before year 1") << QDate(-1, 12, 31) << QString();
    QTest::newRow("invalid") << QDate() << QString();
}

void TestOneCodec::dateWrite()
{
    QFETCH(QDate, date);
    QFETCH(QString, expected);
    char buffer[DateText::Length + 1];
    std::fill(std::begin(buffer), std::end(buffer), 'x');
    const bool written = DateText::write(date, buffer);
    QCOMPARE(written, !expected.isEmpty());
    if (written)
        QCOMPARE(QString::fromLatin1(buffer, DateText::Length), expected);
    QCOMPARE(buffer[DateText::Length], 'x'); // no terminator written past the ten characters
    // toString falls back to Qt's ISO text outside the years 1-9999, and is empty when invalid.
    QCOMPARE(DateText::toString(date),
             date.isValid() && expected.isEmpty() ? date.toString(Qt::ISODate) : expected);
}

void TestOneCodec::dateParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QDate>("expected"); // invalid: rejected

    QTest::newRow("ordinary") << u"2025-03-03"_s << QDate(2025, 3, 3);
    QTest::newRow("first day") << u"0001-01-01"_s << QDate(1, 1, 1);
    QTest::newRow("last day") << u"9999-12-31"_s << QDate(9999, 12, 31);
    QTest::newRow("leap day") << u"2024-02-29"_s << QDate(2024, 2, 29);
    QTest::newRow("no Feb 29 in 2025") << u"2025-02-29"_s << QDate();
    QTest::newRow("year 0") << u"0000-06-01"_s << QDate();
    QTest::newRow("month 13") << u"2025-13-01"_s << QDate();
    QTest::newRow("day 0") << u"2025-01-00"_s << QDate();
    QTest::newRow("single digits") << u"2025-3-3"_s << QDate();
    QTest::newRow("slashes") << u"2025/03/03"_s << QDate();
    QTest::newRow("with a time") << u"2025-03-03T08:30"_s << QDate();
    QTest::newRow("space before") << u" 2025-03-03"_s << QDate();
    QTest::newRow("sign") << u"+025-03-03"_s << QDate();
    QTest::newRow("Arabic-Indic digits") << u"٢٠٢٥-03-03"_s << QDate();
    QTest::newRow("empty") << QString() << QDate();
}

void TestOneCodec::dateParse()
{
    QFETCH(QString, text);
    QFETCH(QDate, expected);
    QCOMPARE(DateText::parse(QStringView(text)), expected);
    const QByteArray utf8 = text.toUtf8();
    QCOMPARE(DateText::parse(QByteArrayView(utf8)), expected);
}

void TestOneCodec::dateRoundTripEveryDayOfALeapYear()
{
    for (QDate d(2024, 1, 1); d.year() == 2024; d = d.addDays(1)) {
        const QString text = DateText::toString(d);
        QCOMPARE(text, d.toString(Qt::ISODate));
        QCOMPARE(DateText::parse(QStringView(text)), d);
    }
}

void TestOneCodec::fnvKnownVectors()
{
    // Published FNV-1a test vectors.
    QCOMPARE(fnv1a32(QByteArrayView("")), 0x811c9dc5u);
    QCOMPARE(fnv1a32(QByteArrayView("a")), 0xe40c292cu);
    QCOMPARE(fnv1a32(QByteArrayView("foobar")), 0xbf9cf968u);
    Fnv1a64 empty;
    QCOMPARE(empty.value(), quint64(0xcbf29ce484222325ULL));
    Fnv1a64 a;
    a.bytes("a");
    QCOMPARE(a.value(), quint64(0xaf63dc4c8601ec8cULL));
    Fnv1a64 foobar;
    foobar.bytes("foobar");
    QCOMPARE(foobar.value(), quint64(0x85944171f73967e8ULL));
}

void TestOneCodec::fnvTextAndBytesAgree()
{
    // Dates::fnv1a32 hashes the UTF-8 of its text through the same FNV-1a.
    for (const QString &text : { u"123-effective_date-2025"_s, u"Zoë-ü-😀"_s, QString() }) {
        const QByteArray utf8 = text.toUtf8();
        QCOMPARE(Dates::fnv1a32(text), fnv1a32(QByteArrayView(utf8)));
    }
}

void TestOneCodec::emailTypeNamesRoundTrip()
{
    QCOMPARE(int(EmailTypeNames.size()), EmailTypeCount);
    for (int t = 0; t < EmailTypeCount; ++t) {
        const auto type = EmailType(t);
        QCOMPARE(emailTypeName(type), QString(EmailTypeNames[std::size_t(t)]));
        QCOMPARE(emailTypeFromName(emailTypeName(type)), std::optional<EmailType>(type));
        QCOMPARE(emailTypeFromName(emailTypeName(type).toUpper()), std::optional<EmailType>(type));
        QCOMPARE(emailTypeKey(type).data()[emailTypeKey(type).size()], '\0'); // usable as a C string
    }
    QCOMPARE(emailTypeName(EmailType::PostWindow), u"post_window"_s);
    QCOMPARE(emailTypeFromName(u"POST_WINDOW_BIRTHDAY"), std::optional<EmailType>(EmailType::PostWindow));
}

void TestOneCodec::contactFieldsCoverEveryTextMember()
{
    // Each member once, each column once, and a value written through the table reads back.
    Contact contact;
    QStringList columns;
    for (std::size_t i = 0; i < ContactFields.size(); ++i) {
        const ContactField &field = ContactFields[i];
        QVERIFY(!columns.contains(QString(field.column)));
        columns << QString(field.column);
        contact.*field.member = u"value %1"_s.arg(i);
        QCOMPARE(contactColumn(field.member), field.column);
    }
    QCOMPARE(columns.size(), 12);
    QCOMPARE(contact.firstName, u"value 0"_s);
    QCOMPARE(contact.gender, u"value 7"_s);
    QCOMPARE(contact.status, u"value 11"_s);
    QCOMPARE(contactColumn(&Contact::zipCode), QLatin1StringView("zip_code"));
    QCOMPARE(contactColumn(&Contact::currentCarrier), QLatin1StringView("current_carrier"));
}

QTEST_GUILESS_MAIN(TestOneCodec)
#include "tst_onecodec.moc"
