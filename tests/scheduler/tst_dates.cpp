#include "dates.h"

#include <QTest>

using namespace Qt::StringLiterals;

// SPEC section 1: contact date formats, occurrences, anniversaries and the FNV-1a hash.
class TestDates : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void occurrence_data();
    void occurrence();
    void nextOccurrence_data();
    void nextOccurrence();
    void nextAnniversary_data();
    void nextAnniversary();
    void fnv_data();
    void fnv();
};

void TestDates::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected"); // ISO date, or empty for invalid

    // accepted formats
    QTest::newRow("iso") << u"1950-03-17"_s << u"1950-03-17"_s;
    QTest::newRow("iso with T time") << u"1950-03-17T08:30:00Z"_s << u"1950-03-17"_s;
    QTest::newRow("iso with space time") << u"1950-03-17 08:30:00"_s << u"1950-03-17"_s;
    QTest::newRow("iso followed by space and anything") << u"1950-03-17 whatever"_s << u"1950-03-17"_s;
    QTest::newRow("iso surrounded by spaces") << u"  1950-03-17  "_s << u"1950-03-17"_s;
    QTest::newRow("slashes year first") << u"1950/03/17"_s << u"1950-03-17"_s;
    QTest::newRow("M/D/YYYY one digit") << u"3/7/1950"_s << u"1950-03-07"_s;
    QTest::newRow("M/D/YYYY two digits") << u"12/25/1950"_s << u"1950-12-25"_s;
    QTest::newRow("M/D/YYYY mixed") << u"12/5/1950"_s << u"1950-12-05"_s;
    QTest::newRow("M-D-YYYY two digits") << u"01-01-1955"_s << u"1955-01-01"_s;
    QTest::newRow("M-D-YYYY one digit") << u"1-2-1955"_s << u"1955-01-02"_s;
    QTest::newRow("M-D-YYYY dash at index 4") << u"12-5-1950"_s << u"1950-12-05"_s;
    QTest::newRow("MMDDYYYY") << u"05061950"_s << u"1950-05-06"_s;
    QTest::newRow("leap day in leap year") << u"2024-02-29"_s << u"2024-02-29"_s;
    QTest::newRow("leap day 2000") << u"02292000"_s << u"2000-02-29"_s;

    // invalid
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("spaces only") << u"   "_s << QString();
    QTest::newRow("garbage") << u"not a date"_s << QString();
    QTest::newRow("Feb 30") << u"2023-02-30"_s << QString();
    QTest::newRow("Feb 29 common year") << u"2023-02-29"_s << QString();
    QTest::newRow("Feb 29 1900") << u"02/29/1900"_s << QString();
    QTest::newRow("month 13") << u"13/45/1950"_s << QString();
    QTest::newRow("month 00") << u"1950-00-10"_s << QString();
    QTest::newRow("day 00") << u"1950-01-00"_s << QString();
    QTest::newRow("day 32") << u"1950-01-32"_s << QString();
    QTest::newRow("year 0000") << u"0000-01-01"_s << QString();
    QTest::newRow("iso one-digit month") << u"1950-3-17"_s << QString();
    QTest::newRow("iso mixed separators") << u"1950-03/17"_s << QString();
    QTest::newRow("slashes with time") << u"1950/03/17 08:00"_s << QString();
    QTest::newRow("iso followed by letter") << u"1950-03-17X"_s << QString();
    QTest::newRow("M/D mixed separators") << u"3/7-1950"_s << QString();
    QTest::newRow("M/D/YY") << u"3/7/50"_s << QString();
    QTest::newRow("three-digit month") << u"003/7/1950"_s << QString();
    QTest::newRow("five-digit year") << u"3/7/19500"_s << QString();
    QTest::newRow("7 digits") << u"5061950"_s << QString();
    QTest::newRow("9 digits") << u"050619501"_s << QString();
    QTest::newRow("MMDDYYYY bad day") << u"02301950"_s << QString();
    QTest::newRow("dotted") << u"17.03.1950"_s << QString();
    QTest::newRow("month names") << u"March 17, 1950"_s << QString();
    QTest::newRow("trailing text after M/D/YYYY") << u"3/7/1950 10:00"_s << QString();
    QTest::newRow("non-ASCII digits") << u"١٩٥٠-03-17"_s << QString();
}

void TestDates::parse()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    const QDate d = Dates::parseContactDate(text);
    QCOMPARE(d.isValid() ? d.toString(Qt::ISODate) : QString(), expected);
}

void TestDates::occurrence_data()
{
    QTest::addColumn<QDate>("event");
    QTest::addColumn<int>("year");
    QTest::addColumn<QDate>("expected");
    QTest::newRow("plain") << QDate(1950, 3, 17) << 2025 << QDate(2025, 3, 17);
    QTest::newRow("Feb 29 in leap year") << QDate(1952, 2, 29) << 2024 << QDate(2024, 2, 29);
    QTest::newRow("Feb 29 in common year -> Feb 28") << QDate(1952, 2, 29) << 2025 << QDate(2025, 2, 28);
    QTest::newRow("Feb 28 stays") << QDate(1951, 2, 28) << 2024 << QDate(2024, 2, 28);
    QTest::newRow("Dec 31") << QDate(1950, 12, 31) << 2026 << QDate(2026, 12, 31);
}

void TestDates::occurrence()
{
    QFETCH(QDate, event);
    QFETCH(int, year);
    QFETCH(QDate, expected);
    QCOMPARE(Dates::occurrence(event, year), expected);
}

void TestDates::nextOccurrence_data()
{
    QTest::addColumn<QDate>("event");
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QDate>("expected");
    QTest::newRow("later this year") << QDate(1950, 6, 1) << QDate(2025, 1, 15) << QDate(2025, 6, 1);
    QTest::newRow("today counts") << QDate(1950, 6, 1) << QDate(2025, 6, 1) << QDate(2025, 6, 1);
    QTest::newRow("passed -> next year") << QDate(1950, 6, 1) << QDate(2025, 6, 2) << QDate(2026, 6, 1);
    QTest::newRow("Feb 29 birthday, common year")
        << QDate(1952, 2, 29) << QDate(2025, 1, 15) << QDate(2025, 2, 28);
    QTest::newRow("Feb 29 birthday, leap year")
        << QDate(1952, 2, 29) << QDate(2024, 1, 15) << QDate(2024, 2, 29);
    // Feb 28 2025 passed: next is 2026 (common year) -> Feb 28 2026
    QTest::newRow("Feb 29 birthday after Feb 28")
        << QDate(1952, 2, 29) << QDate(2025, 3, 1) << QDate(2026, 2, 28);
    // 2027 Feb 28 passed: 2028 is a leap year -> Feb 29 2028
    QTest::newRow("Feb 29 birthday into leap year")
        << QDate(1952, 2, 29) << QDate(2027, 3, 1) << QDate(2028, 2, 29);
}

void TestDates::nextOccurrence()
{
    QFETCH(QDate, event);
    QFETCH(QDate, today);
    QFETCH(QDate, expected);
    QCOMPARE(Dates::nextOccurrence(event, today), expected);
}

void TestDates::nextAnniversary_data()
{
    QTest::addColumn<QDate>("effective");
    QTest::addColumn<QDate>("today");
    QTest::addColumn<QDate>("expected");
    QTest::newRow("old policy") << QDate(2020, 7, 1) << QDate(2025, 1, 15) << QDate(2025, 7, 1);
    QTest::newRow("old policy, passed") << QDate(2020, 7, 1) << QDate(2025, 7, 2) << QDate(2026, 7, 1);
    // started this year: the start is not an anniversary -> one year later
    QTest::newRow("started earlier this year")
        << QDate(2025, 1, 1) << QDate(2025, 1, 15) << QDate(2026, 1, 1);
    QTest::newRow("starts later this year") << QDate(2025, 7, 1) << QDate(2025, 1, 15) << QDate(2026, 7, 1);
    QTest::newRow("starts today") << QDate(2025, 1, 15) << QDate(2025, 1, 15) << QDate(2026, 1, 15);
    QTest::newRow("future policy next year") << QDate(2026, 3, 1) << QDate(2025, 1, 15) << QDate(2027, 3, 1);
    QTest::newRow("started last year, anniversary ahead")
        << QDate(2024, 12, 1) << QDate(2025, 1, 15) << QDate(2025, 12, 1);
    QTest::newRow("Feb 29 policy") << QDate(2024, 2, 29) << QDate(2024, 3, 1) << QDate(2025, 2, 28);
}

void TestDates::nextAnniversary()
{
    QFETCH(QDate, effective);
    QFETCH(QDate, today);
    QFETCH(QDate, expected);
    QCOMPARE(Dates::nextAnniversary(effective, today), expected);
}

// Independent reference: hash the bytes of QString::toUtf8().
static quint32 referenceFnv(const QString &text)
{
    quint32 h = 2166136261u;
    for (char c : text.toUtf8()) {
        h ^= quint8(c);
        h *= 16777619u;
    }
    return h;
}

void TestDates::fnv_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<quint32>("expected");
    // published FNV-1a 32-bit test vectors
    QTest::newRow("empty") << QString() << quint32(0x811c9dc5u);
    QTest::newRow("a") << u"a"_s << quint32(0xe40c292cu);
    QTest::newRow("foobar") << u"foobar"_s << quint32(0xbf9cf968u);
    // catch-up keys: checked against the reference implementation
    QTest::newRow("catch-up key") << u"42-birthday-2025"_s << referenceFnv(u"42-birthday-2025"_s);
    QTest::newRow("two-byte UTF-8") << u"José"_s << referenceFnv(u"José"_s);
    QTest::newRow("three-byte UTF-8") << u"€uro"_s << referenceFnv(u"€uro"_s);
    QTest::newRow("surrogate pair") << u"a😀b"_s << referenceFnv(u"a😀b"_s);
}

void TestDates::fnv()
{
    QFETCH(QString, text);
    QFETCH(quint32, expected);
    QCOMPARE(Dates::fnv1a32(text), expected);
}

QTEST_GUILESS_MAIN(TestDates)
#include "tst_dates.moc"
