#include "emailtypes.h"
#include "engine.h"
#include "problem.h"
#include "ziptable.h"

#include <QTest>

using namespace Qt::StringLiterals;

// SPEC section 2: ZIP normalisation, ZIP -> state, and the per-contact problem checks.
class TestChecks : public QObject
{
    Q_OBJECT

private slots:
    void normalizeZip_data();
    void normalizeZip();
    void stateForZip_data();
    void stateForZip();
    void zipTableFromCsv_data();
    void zipTableFromCsv();
    void checks_data();
    void checks();
    void typeNames_data();
    void typeNames();
    void codeNames();
};

void TestChecks::normalizeZip_data()
{
    QTest::addColumn<QString>("zip");
    QTest::addColumn<QString>("expected"); // null: not a ZIP
    QTest::newRow("5 digits") << u"90210"_s << u"90210"_s;
    QTest::newRow("trimmed") << u" 90210 "_s << u"90210"_s;
    QTest::newRow("ZIP+4") << u"90210-1234"_s << u"90210"_s;
    QTest::newRow("4 digits get a leading 0") << u"2108"_s << u"02108"_s;
    QTest::newRow("4 digits + 4") << u"2108-0001"_s << u"02108"_s;
    QTest::newRow("3 digits") << u"210"_s << QString();
    QTest::newRow("6 digits") << u"902101"_s << QString();
    QTest::newRow("letters") << u"9021O"_s << QString();
    QTest::newRow("ZIP+4 without dash") << u"902101234"_s << QString();
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("dash first") << u"-90210"_s << QString();
}

void TestChecks::normalizeZip()
{
    QFETCH(QString, zip);
    QFETCH(QString, expected);
    const QString actual = ZipTable::normalize(zip);
    QCOMPARE(actual, expected);
    QCOMPARE(actual.isNull(), expected.isNull());
}

void TestChecks::stateForZip_data()
{
    QTest::addColumn<QString>("zip");
    QTest::addColumn<QString>("state"); // empty: not mappable
    QTest::newRow("CA") << u"90210"_s << u"CA"_s;
    QTest::newRow("TX") << u"75201"_s << u"TX"_s;
    QTest::newRow("NY 005 prefix") << u"00501"_s << u"NY"_s;
    QTest::newRow("MA leading zero dropped") << u"2108"_s << u"MA"_s;
    QTest::newRow("AK 999") << u"99901"_s << u"AK"_s;
    QTest::newRow("unused prefix 000") << u"00012"_s << QString();
    QTest::newRow("unused prefix 001") << u"00123"_s << QString();
    QTest::newRow("bad text") << u"abcde"_s << QString();
}

void TestChecks::stateForZip()
{
    QFETCH(QString, zip);
    QFETCH(QString, state);
    const ZipTable &table = ZipTable::defaults();
    QCOMPARE(table.stateForZip(zip).toString(), state);
    QVERIFY(table.stateCount() > 50);
    QVERIFY(table.isKnownState(StateCode::fromString(u"CA")));
    QVERIFY(!table.isKnownState(StateCode::fromString(u"ZZ")));
    QVERIFY(!table.isKnownState(StateCode()));
}

void TestChecks::zipTableFromCsv_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("error"); // part of the error message; empty: parses
    QTest::newRow("ok with header") << QByteArray("zip3,state\n900,CA\r\n750,TX\n") << QString();
    QTest::newRow("ok without header") << QByteArray("900,CA\n") << QString();
    QTest::newRow("bad prefix") << QByteArray("zip3,state\n900,CA\n9X0,CA\n") << u"line 3"_s;
    QTest::newRow("bad state") << QByteArray("zip3,state\n900,California\n") << u"line 2"_s;
    QTest::newRow("empty") << QByteArray("zip3,state\n") << u"empty"_s;
}

void TestChecks::zipTableFromCsv()
{
    QFETCH(QByteArray, csv);
    QFETCH(QString, error);
    const Result<ZipTable> table = ZipTable::fromCsv(csv);
    QCOMPARE(table.ok(), error.isEmpty());
    if (table.ok())
        QCOMPARE(table->stateForZip(u"90012").toString(), u"CA"_s);
    else
        QVERIFY2(table.errorMessage().contains(error), qPrintable(table.errorMessage()));
}

void TestChecks::checks_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("zip");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("birth");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QString>("expectedState");
    QTest::addColumn<QString>("expectedProblems"); // "code/severity" joined by ';'
    QTest::addColumn<QString>("messagePart");      // must appear in the messages

    const QString ok = u"mary@example.com"_s;
    // today is 2025-01-15 for every row
    QTest::newRow("clean") << ok << u"90210"_s << u"CA"_s << u"1950-03-17"_s << u"2020-07-01"_s << u"CA"_s
                           << QString() << QString();
    QTest::newRow("empty dates are not problems")
        << ok << u"90210"_s << u"CA"_s << QString() << u"  "_s << u"CA"_s << QString() << QString();

    // invalid_email
    QTest::newRow("email empty") << QString() << u"90210"_s << QString() << QString() << QString() << u"CA"_s
                                 << u"invalid_email/error"_s << u"Email address is empty"_s;
    QTest::newRow("email no @") << u"mary.example.com"_s << u"90210"_s << QString() << QString() << QString()
                                << u"CA"_s << u"invalid_email/error"_s << u"\"mary.example.com\""_s;
    QTest::newRow("email two @") << u"ma@ry@example.com"_s << u"90210"_s << QString() << QString()
                                 << QString() << u"CA"_s << u"invalid_email/error"_s << QString();
    QTest::newRow("email inner space") << u"ma ry@example.com"_s << u"90210"_s << QString() << QString()
                                       << QString() << u"CA"_s << u"invalid_email/error"_s << QString();
    QTest::newRow("email nothing before @") << u"@example.com"_s << u"90210"_s << QString() << QString()
                                            << QString() << u"CA"_s << u"invalid_email/error"_s << QString();
    QTest::newRow("email no dot after @") << u"mary@example"_s << u"90210"_s << QString() << QString()
                                          << QString() << u"CA"_s << u"invalid_email/error"_s << QString();
    QTest::newRow("email dot at domain start")
        << u"mary@.com"_s << u"90210"_s << QString() << QString() << QString() << u"CA"_s
        << u"invalid_email/error"_s << QString();
    QTest::newRow("email dot at domain end") << u"mary@example."_s << u"90210"_s << QString() << QString()
                                             << QString() << u"CA"_s << u"invalid_email/error"_s << QString();
    QTest::newRow("email dot only before @") << u"ma.ry@example"_s << u"90210"_s << QString() << QString()
                                             << QString() << u"CA"_s << u"invalid_email/error"_s << QString();
    QTest::newRow("email surrounding spaces are trimmed")
        << u"  mary@example.com "_s << u"90210"_s << QString() << QString() << QString() << u"CA"_s
        << QString() << QString();

    // unknown_state
    QTest::newRow("no zip, no state") << ok << QString() << QString() << QString() << QString() << QString()
                                      << u"unknown_state/error"_s << u"both empty"_s;
    QTest::newRow("no zip, unknown state code") << ok << QString() << u"ZZ"_s << QString() << QString()
                                                << QString() << u"unknown_state/error"_s << u"\"ZZ\""_s;
    QTest::newRow("no zip, state name instead of code")
        << ok << QString() << u"Texas"_s << QString() << QString() << QString() << u"unknown_state/error"_s
        << QString();
    QTest::newRow("bad zip, no state") << ok << u"123"_s << QString() << QString() << QString() << QString()
                                       << u"unknown_state/error;invalid_zip/warning"_s << u"\"123\""_s;
    QTest::newRow("bad email and unknown state")
        << u"x"_s << QString() << QString() << QString() << QString() << QString()
        << u"invalid_email/error;unknown_state/error"_s << QString();

    // the stored state when the ZIP does not map
    QTest::newRow("no zip, stored state lower-case")
        << ok << QString() << u" tx "_s << QString() << QString() << u"TX"_s << QString() << QString();
    QTest::newRow("unmappable zip, stored state")
        << ok << u"00012"_s << u"KS"_s << QString() << QString() << u"KS"_s << u"invalid_zip/warning"_s
        << u"ZIP code \"00012\""_s;

    // the ZIP's state wins
    QTest::newRow("zip wins, mismatch")
        << ok << u"75201"_s << u"KS"_s << QString() << QString() << u"TX"_s << u"zip_state_mismatch/warning"_s
        << u"State \"KS\" does not match ZIP code \"75201\", which is in TX; TX is used"_s;
    QTest::newRow("zip wins over unknown stored state, no mismatch")
        << ok << u"75201"_s << u"ZZ"_s << QString() << QString() << u"TX"_s << QString() << QString();
    QTest::newRow("4-digit zip maps")
        << ok << u"2108"_s << u"MA"_s << QString() << QString() << u"MA"_s << QString() << QString();

    // invalid_birth_date / invalid_effective_date
    QTest::newRow("birth date garbage")
        << ok << u"90210"_s << QString() << u"13/45/1950"_s << QString() << u"CA"_s
        << u"invalid_birth_date/warning"_s << u"Birth date \"13/45/1950\" is not a valid date"_s;
    QTest::newRow("birth date nonexistent") << ok << u"90210"_s << QString() << u"1951-02-29"_s << QString()
                                            << u"CA"_s << u"invalid_birth_date/warning"_s << QString();
    QTest::newRow("birth date tomorrow") << ok << u"90210"_s << QString() << u"2025-01-16"_s << QString()
                                         << u"CA"_s << u"invalid_birth_date/warning"_s << u"after today"_s;
    QTest::newRow("birth date today is fine")
        << ok << u"90210"_s << QString() << u"2025-01-15"_s << QString() << u"CA"_s << QString() << QString();
    QTest::newRow("effective date garbage")
        << ok << u"90210"_s << QString() << QString() << u"2024-13-01"_s << u"CA"_s
        << u"invalid_effective_date/warning"_s << u"Effective date \"2024-13-01\" is not a valid date"_s;
    QTest::newRow("effective date in the future is fine")
        << ok << u"90210"_s << QString() << QString() << u"2026-01-01"_s << u"CA"_s << QString() << QString();
    QTest::newRow("all warnings at once")
        << ok << u"75201"_s << u"KS"_s << u"garbage"_s << u"2023-02-30"_s << u"TX"_s
        << u"invalid_birth_date/warning;invalid_effective_date/warning;"
           u"zip_state_mismatch/warning"_s
        << QString();
}

void TestChecks::checks()
{
    QFETCH(QString, email);
    QFETCH(QString, zip);
    QFETCH(QString, state);
    QFETCH(QString, birth);
    QFETCH(QString, effective);
    QFETCH(QString, expectedState);
    QFETCH(QString, expectedProblems);
    QFETCH(QString, messagePart);

    Contact c;
    c.id = 7;
    c.email = email;
    c.zipCode = zip;
    c.state = state;
    c.birthDate = birth;
    c.effectiveDate = effective;
    const ContactFacts facts = Engine::checkContact(c, QDate(2025, 1, 15));

    QStringList codes;
    QStringList messages;
    for (const Problem &p : facts.problems) {
        codes << problemCodeName(p.code) % u'/' % severityName(p.severity);
        messages << p.message;
        QVERIFY(!p.message.isEmpty());
    }
    QCOMPARE(codes.join(u';'), expectedProblems);
    QCOMPARE(facts.state.toString(), expectedState);
    QCOMPARE(facts.contactId, 7);
    QCOMPARE(facts.hasError(), expectedProblems.contains(u"/error"_s));
    if (!messagePart.isEmpty())
        QVERIFY2(messages.join(u'\n').contains(messagePart), qPrintable(messages.join(u'\n')));
    // invalid dates are treated as missing
    if (expectedProblems.contains(u"invalid_birth_date"_s))
        QVERIFY(!facts.birthDate.isValid());
    if (expectedProblems.contains(u"invalid_effective_date"_s))
        QVERIFY(!facts.effectiveDate.isValid());
}

void TestChecks::typeNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("type"); // -1: not an email type
    QTest::newRow("birthday") << u"birthday"_s << int(EmailType::Birthday);
    QTest::newRow("legacy upper case") << u"BIRTHDAY"_s << int(EmailType::Birthday);
    QTest::newRow("effective_date") << u"EFFECTIVE_DATE"_s << int(EmailType::EffectiveDate);
    QTest::newRow("aep") << u"AEP"_s << int(EmailType::Aep);
    QTest::newRow("post_window") << u"post_window"_s << int(EmailType::PostWindow);
    QTest::newRow("POST_WINDOW_BIRTHDAY") << u"POST_WINDOW_BIRTHDAY"_s << int(EmailType::PostWindow);
    // SPEC v2 section 9 names the follow-up types; campaign_<name> is Campaign
    QTest::newRow("follow-up type") << u"followup_1_cold"_s << int(EmailType::FollowupCold);
    QTest::newRow("campaign type") << u"Campaign_Rate_Increase"_s << int(EmailType::Campaign);
    QTest::newRow("rate increase") << u"SCHEDULED_RATE_INCREASE"_s << -1;
    QTest::newRow("empty") << QString() << -1;
}

void TestChecks::typeNames()
{
    QFETCH(QString, name);
    QFETCH(int, type);
    const std::optional<EmailType> parsed = emailTypeFromName(name);
    QCOMPARE(parsed ? int(*parsed) : -1, type);
    // post_window_* and campaign_<name> name a family of written types
    if (parsed && type != int(EmailType::PostWindow) && type != int(EmailType::Campaign))
        QCOMPARE(emailTypeName(*parsed), name.toLower());
}

void TestChecks::codeNames()
{
    QCOMPARE(problemCodeName(ProblemCode::InvalidEmail), u"invalid_email"_s);
    QCOMPARE(problemCodeName(ProblemCode::UnknownState), u"unknown_state"_s);
    QCOMPARE(problemCodeName(ProblemCode::InvalidBirthDate), u"invalid_birth_date"_s);
    QCOMPARE(problemCodeName(ProblemCode::InvalidEffectiveDate), u"invalid_effective_date"_s);
    QCOMPARE(problemCodeName(ProblemCode::InvalidZip), u"invalid_zip"_s);
    QCOMPARE(problemCodeName(ProblemCode::ZipStateMismatch), u"zip_state_mismatch"_s);
    QCOMPARE(problemCodeName(ProblemCode::ProcessingError), u"processing_error"_s);
    QCOMPARE(severityName(Severity::Error), u"error"_s);
    QCOMPARE(severityName(Severity::Warning), u"warning"_s);
    QCOMPARE(emailStatusName(EmailStatus::PreScheduled), u"pre-scheduled"_s);
    QCOMPARE(emailStatusName(EmailStatus::Skipped), u"skipped"_s);
    for (SkipReason r :
         { SkipReason::AlreadySent, SkipReason::BirthdayWindow, SkipReason::EffectiveDateWindow,
           SkipReason::YearRound, SkipReason::Spacing, SkipReason::FrequencyLimit }) {
        QVERIFY(!skipReasonCode(r).isEmpty());
        QCOMPARE(skipReasonFromCode(skipReasonCode(r)), std::optional<SkipReason>(r));
    }
    QCOMPARE(skipReasonCode(SkipReason::BirthdayWindow), u"birthday_window"_s);
    QCOMPARE(skipReasonCode(SkipReason::FrequencyLimit), u"frequency_limit"_s);
    QCOMPARE(skipReasonFromCode(u"nonsense"), std::nullopt);
}

QTEST_GUILESS_MAIN(TestChecks)
#include "tst_checks.moc"
