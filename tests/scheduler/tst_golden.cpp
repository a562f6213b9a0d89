#include "engine.h"

#include <QDir>
#include <QFile>
#include <QTest>

using namespace Qt::StringLiterals;

// Golden fixtures (tests/scheduler/fixtures/*.txt): raw contact rows with their history, run
// through Engine::scheduleContact and compared line by line with the complete expected schedule.
// The expected lines were derived by hand and with a reference model written from the SPEC,
// never by running the engine.
//
// Fixture format, one "key: value" per line ('#' lines and blank lines are ignored; a value in
// double quotes keeps its surrounding spaces):
//   today: YYYY-MM-DD
//   config: {...}                 optional, one line of configuration JSON (SPEC section 10)
//   contact: ID                   starts a contact; then its raw fields:
//   email: / state: / zip_code: / birth_date: / effective_date:
//   history: TYPE | status | YYYY-MM-DD | event_year    (date and event_year may be empty)
//   expect:                       every following line is one expected output line:
//     ID problem SEVERITY CODE
//     ID TYPE DATE STATUS REASON|- event=DATE [catch-up]
// Per contact: problems in the engine's order, then its emails by date, then type name.
class TestGolden : public QObject
{
    Q_OBJECT

private slots:
    void fixtures_data();
    void fixtures();
};

namespace {

struct Fixture
{
    QDate today;
    Config config;
    std::vector<std::pair<Contact, std::vector<HistoryEntry>>> contacts;
    QStringList expected;
};

QString fixtureDir()
{
#ifdef ES_GOLDEN_FIXTURES
    return QStringLiteral(ES_GOLDEN_FIXTURES);
#else
    return QFINDTESTDATA("fixtures");
#endif
}

QString unquoted(const QString &value)
{
    if (value.size() >= 2 && value.startsWith(u'"') && value.endsWith(u'"'))
        return value.mid(1, value.size() - 2);
    return value;
}

// Reads a fixture; the error names the file and line.
Result<Fixture> readFixture(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return Error { path + u": cannot be read: "_s + file.errorString() };
    Fixture fixture;
    bool inExpect = false;
    int lineNumber = 0;
    const QStringList lines = QString::fromUtf8(file.readAll()).split(u'\n');
    for (const QString &line : lines) {
        ++lineNumber;
        const auto fail
            = [&](const QString &why) { return Error { u"%1:%2: %3"_s.arg(path).arg(lineNumber).arg(why) }; };
        if (line.trimmed().isEmpty() || line.startsWith(u'#'))
            continue;
        if (inExpect) {
            fixture.expected << line.trimmed();
            continue;
        }
        const qsizetype colon = line.indexOf(u':');
        if (colon < 0)
            return fail(u"expected \"key: value\""_s);
        const QString key = line.left(colon);
        QString value = line.mid(colon + 1);
        if (value.startsWith(u' '))
            value.remove(0, 1);
        value = unquoted(value);
        if (key == u"expect") {
            inExpect = true;
        } else if (key == u"today") {
            fixture.today = QDate::fromString(value, Qt::ISODate);
            if (!fixture.today.isValid())
                return fail(u"bad today"_s);
        } else if (key == u"config") {
            Result<Config> config = Config::fromJson(value.toUtf8());
            if (!config)
                return fail(config.errorMessage());
            fixture.config = *config;
        } else if (key == u"contact") {
            bool ok = false;
            Contact contact;
            contact.id = value.toLongLong(&ok);
            if (!ok)
                return fail(u"bad contact id"_s);
            fixture.contacts.push_back({ contact, {} });
        } else if (fixture.contacts.empty()) {
            return fail(u"\"%1\" before the first contact"_s.arg(key));
        } else {
            Contact &c = fixture.contacts.back().first;
            if (key == u"email") {
                c.email = value;
            } else if (key == u"state") {
                c.state = value;
            } else if (key == u"zip_code") {
                c.zipCode = value;
            } else if (key == u"birth_date") {
                c.birthDate = value;
            } else if (key == u"effective_date") {
                c.effectiveDate = value;
            } else if (key == u"history") {
                const QStringList f = value.split(u'|');
                if (f.size() != 4)
                    return fail(u"history needs TYPE | status | date | event_year"_s);
                HistoryEntry h;
                h.emailType = f[0].trimmed();
                h.status = f[1].trimmed();
                h.scheduledDate = QDate::fromString(f[2].trimmed(), Qt::ISODate);
                h.eventYear = f[3].trimmed().toInt();
                fixture.contacts.back().second.push_back(h);
            } else {
                return fail(u"unknown key \"%1\""_s.arg(key));
            }
        }
    }
    if (!fixture.today.isValid())
        return Error { path + u": no today"_s };
    if (!inExpect)
        return Error { path + u": no expect section"_s };
    return fixture;
}

QStringList render(const ContactSchedule &s)
{
    QStringList lines;
    const QString id = QString::number(s.contactId);
    for (const Problem &p : s.problems)
        lines << id + u" problem "_s + severityName(p.severity) + u' ' + problemCodeName(p.code);
    for (const ScheduledEmail &e : s.emails) {
        QString line = id + u' ' + emailTypeName(e.type) + u' ' + e.date.toString(Qt::ISODate) + u' '
            + emailStatusName(e.status) + u' '
            + (e.reason == SkipReason::None ? u"-"_s : skipReasonCode(e.reason)) + u" event="_s
            + e.eventDate.toString(Qt::ISODate);
        if (e.catchUp)
            line += u" catch-up"_s;
        lines << line;
    }
    return lines;
}

// A readable line diff (longest common subsequence): "  " same, "- " expected only, "+ " actual only.
QString diff(const QStringList &expected, const QStringList &actual)
{
    const qsizetype n = expected.size();
    const qsizetype m = actual.size();
    std::vector<std::vector<int>> lcs(n + 1, std::vector<int>(m + 1, 0));
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j)
            lcs[i][j]
                = expected[i] == actual[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    QString out;
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && expected[i] == actual[j]) {
            out += u"    "_s + expected[i++] + u'\n';
            ++j;
        } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
            out += u"  - "_s + expected[i++] + u'\n';
        } else {
            out += u"  + "_s + actual[j++] + u'\n';
        }
    }
    return out;
}

} // namespace

void TestGolden::fixtures_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(fixtureDir());
    const QStringList files = dir.entryList({ u"*.txt"_s }, QDir::Files, QDir::Name);
    // The suite must not pass vacuously when the folder moves.
    QVERIFY2(files.size() >= 7, qPrintable(u"too few fixtures in "_s + dir.absolutePath()));
    for (const QString &name : files)
        QTest::newRow(qPrintable(name)) << dir.filePath(name);
}

void TestGolden::fixtures()
{
    QFETCH(QString, path);
    const Result<Fixture> fixture = readFixture(path);
    QVERIFY2(fixture.ok(), qPrintable(fixture.errorMessage()));
    QVERIFY2(!fixture->expected.isEmpty(), "empty expect section");

    QStringList actual;
    for (const auto &[contact, history] : fixture->contacts)
        actual << render(Engine::scheduleContact(contact, history, fixture->today, fixture->config));
    if (actual != fixture->expected) {
        QFAIL(qPrintable(u"%1: schedule differs from the fixture (- expected, + actual):\n%2"_s.arg(
            path, diff(fixture->expected, actual))));
    }
}

QTEST_GUILESS_MAIN(TestGolden)
#include "tst_golden.moc"
