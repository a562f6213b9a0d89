#include "storage/demogenerator.h"

#include "storage/demoactivity.h"
#include "storage/orgdatabase.h"
#include "storage/statement.h"

#include "staterules.h"
#include "ziptable.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DemoGenerator", text);
}

// SplitMix64: tiny, fast and the same on every platform and standard library (the std
// distributions are implementation-defined, which would break determinism for a seed).
class Random
{
public:
    explicit Random(quint64 seed) : m_state(seed * 0xD1B54A32D192ED03ull + 0x2545F4914F6CDD1Dull) { }

    quint64 next()
    {
        quint64 z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    // Uniform in [0, n).
    quint32 below(quint32 n) { return quint32(((next() >> 32) * n) >> 32); }
    // Uniform in [lo, hi], both inclusive.
    int range(int lo, int hi) { return lo + int(below(quint32(hi - lo + 1))); }
    double unit() { return double(next() >> 11) * 0x1.0p-53; }
    bool chance(double p) { return unit() < p; }
    template<typename T, std::size_t N> const T &pick(const std::array<T, N> &items)
    {
        return items[below(quint32(N))];
    }

private:
    quint64 m_state;
};

// One column value in a fixed buffer, bound with SQLITE_STATIC: no allocation per row.
class Field
{
public:
    void clear()
    {
        m_length = 0;
        m_null = false;
    }
    void setNull()
    {
        m_length = 0;
        m_null = true;
    }
    Field &operator<<(std::string_view text)
    {
        const std::size_t n = std::min(text.size(), sizeof(m_buffer) - std::size_t(m_length));
        std::memcpy(m_buffer + m_length, text.data(), n);
        m_length += int(n);
        return *this;
    }
    Field &operator<<(char c)
    {
        if (m_length < int(sizeof(m_buffer)))
            m_buffer[m_length++] = c;
        return *this;
    }
    // Decimal, zero-padded to `width` digits.
    Field &number(qint64 value, int width = 0)
    {
        char digits[24];
        int n = 0;
        const bool negative = value < 0;
        quint64 v = negative ? quint64(-value) : quint64(value);
        do {
            digits[n++] = char('0' + v % 10);
            v /= 10;
        } while (v != 0);
        while (n < width)
            digits[n++] = '0';
        if (negative)
            *this << '-';
        while (n > 0)
            *this << digits[--n];
        return *this;
    }
    // Lower-case ASCII for an email address: letters only, common accents folded.
    Field &mailName(std::string_view name)
    {
        for (std::size_t i = 0; i < name.size(); ++i) {
            const auto c = static_cast<unsigned char>(name[i]);
            if (c >= 'A' && c <= 'Z')
                *this << char(c - 'A' + 'a');
            else if (c >= 'a' && c <= 'z')
                *this << char(c);
            else if (c == 0xC3 && i + 1 < name.size()) {
                switch (static_cast<unsigned char>(name[++i])) {
                case 0xA1:
                    *this << 'a';
                    break;
                case 0xA9:
                    *this << 'e';
                    break;
                case 0xAD:
                    *this << 'i';
                    break;
                case 0xB1:
                    *this << 'n';
                    break;
                case 0xB3:
                    *this << 'o';
                    break;
                case 0xBA:
                    *this << 'u';
                    break;
                default:
                    break;
                }
            }
        }
        return *this;
    }
    bool isNull() const { return m_null; }
    std::string_view view() const { return { m_buffer, std::size_t(m_length) }; }
    bool isEmpty() const { return m_length == 0; }

    // Bound without a copy: the field must not change until the statement has been stepped.
    void bind(Statement &statement, int index) const
    {
        if (m_null)
            statement.bindNull(index);
        else
            statement.bindUtf8(index, QByteArrayView(m_buffer, m_length));
    }

private:
    char m_buffer[120];
    int m_length = 0;
    bool m_null = false;
};

// How a date is spelled in the contacts table; all but Iso are the accepted alternatives of
// SPEC section 1 that production spreadsheets produce.
enum class DateFormat { Iso, IsoSlash, Mdy, MdyDash, Mmddyyyy, IsoTime, IsoT };

void appendDate(Field &field, QDate date, DateFormat format)
{
    int y = 0, m = 0, d = 0;
    date.getDate(&y, &m, &d); // one calendar conversion instead of three
    switch (format) {
    case DateFormat::Iso:
    case DateFormat::IsoTime:
    case DateFormat::IsoT:
        field.number(y, 4) << '-';
        field.number(m, 2) << '-';
        field.number(d, 2);
        if (format == DateFormat::IsoTime)
            field << " 00:00:00";
        else if (format == DateFormat::IsoT)
            field << "T00:00:00.000Z";
        break;
    case DateFormat::IsoSlash:
        field.number(y, 4) << '/';
        field.number(m, 2) << '/';
        field.number(d, 2);
        break;
    case DateFormat::Mdy:
        field.number(m) << '/';
        field.number(d) << '/';
        field.number(y, 4);
        break;
    case DateFormat::MdyDash:
        field.number(m, 2) << '-';
        field.number(d, 2) << '-';
        field.number(y, 4);
        break;
    case DateFormat::Mmddyyyy:
        field.number(m, 2);
        field.number(d, 2);
        field.number(y, 4);
        break;
    }
}

void appendDateTime(Field &field, QDate date, int secondsOfDay)
{
    appendDate(field, date, DateFormat::Iso);
    field << ' ';
    field.number(secondsOfDay / 3600, 2) << ':';
    field.number(secondsOfDay / 60 % 60, 2) << ':';
    field.number(secondsOfDay % 60, 2);
}

// Dates that production spreadsheets hold and the scheduler must reject (SPEC section 1).
void appendBadDate(Field &field, Random &random, int year)
{
    switch (random.below(9)) {
    case 0:
        field << "2/30/";
        field.number(year, 4);
        break; // M/D/YYYY, no such day
    case 1:
        field << "0230";
        field.number(year, 4);
        break; // MMDDYYYY, no such day
    case 2:
        field.number(year, 4) << "-02-30";
        break; // ISO, no such day
    case 3:
        field << random.pick(std::array<std::string_view, 4> { "n/a", "N/A", "unknown", "TBD" });
        break;
    case 4:
        field.number(random.range(13, 28)) << '/';
        field.number(random.range(1, 12)) << '/';
        field.number(year, 4);
        break; // D/M/YYYY
    case 5:
        field.number(year, 4);
        field.number(random.range(1, 12), 2);
        field.number(random.range(1, 28), 2);
        break; // YYYYMMDD
    case 6:
        field << "Mar 5, ";
        field.number(year, 4);
        break;
    case 7:
        field.number(year, 4) << "-13-01";
        break;
    default:
        field << "00/00/0000";
        break;
    }
}

QDate occurrence(QDate event, int year)
{
    const QDate date(year, event.month(), event.day());
    return date.isValid() ? date : QDate(year, event.month(), 28); // Feb 29 outside leap years
}

struct StateWeight
{
    const char *code;
    int weight; // 2020 census population in thousands
};

constexpr std::array<StateWeight, 51> kStates = { {
    { "CA", 39538 }, { "TX", 29145 }, { "FL", 21538 }, { "NY", 20201 }, { "PA", 13002 }, { "IL", 12812 },
    { "OH", 11799 }, { "GA", 10711 }, { "NC", 10439 }, { "MI", 10077 }, { "NJ", 9288 },  { "VA", 8631 },
    { "WA", 7705 },  { "AZ", 7151 },  { "MA", 7029 },  { "TN", 6910 },  { "IN", 6785 },  { "MD", 6177 },
    { "MO", 6154 },  { "WI", 5893 },  { "CO", 5773 },  { "MN", 5706 },  { "SC", 5118 },  { "AL", 5024 },
    { "LA", 4657 },  { "KY", 4505 },  { "OR", 4237 },  { "OK", 3959 },  { "CT", 3605 },  { "UT", 3271 },
    { "IA", 3190 },  { "NV", 3104 },  { "AR", 3011 },  { "MS", 2961 },  { "KS", 2937 },  { "NM", 2117 },
    { "NE", 1961 },  { "ID", 1839 },  { "WV", 1793 },  { "HI", 1455 },  { "NH", 1377 },  { "ME", 1362 },
    { "RI", 1097 },  { "MT", 1084 },  { "DE", 989 },   { "SD", 886 },   { "ND", 779 },   { "AK", 733 },
    { "DC", 689 },   { "VT", 643 },   { "WY", 576 },
} };

constexpr std::array<std::string_view, 60> kMaleNames
    = { "James",   "Robert",  "John",    "Michael", "William", "David",   "Richard", "Charles", "Joseph",
        "Thomas",  "Donald",  "Ronald",  "Gary",    "Larry",   "Kenneth", "Dennis",  "Jerry",   "Paul",
        "Steven",  "Frank",   "Raymond", "Edward",  "Roger",   "Wayne",   "Harold",  "Walter",  "Carl",
        "Arthur",  "Ralph",   "Gerald",  "George",  "Daniel",  "Douglas", "Bruce",   "Terry",   "Jack",
        "Henry",   "Peter",   "Alan",    "Roy",     "Eugene",  "Howard",  "Samuel",  "Louis",   "Fred",
        "Willie",  "Jesús",   "José",    "Luis",    "Stanley", "Leonard", "Ernest",  "Melvin",  "Earl",
        "Herbert", "Francis", "Norman",  "Lloyd",   "Glenn",   "Reuben" };

constexpr std::array<std::string_view, 60> kFemaleNames
    = { "Mary",     "Patricia", "Linda",     "Barbara", "Elizabeth", "Susan",  "Margaret", "Dorothy",
        "Sandra",   "Carol",    "Nancy",     "Sharon",  "Judith",    "Betty",  "Joyce",    "Shirley",
        "Donna",    "Karen",    "Diane",     "Brenda",  "Janet",     "Helen",  "Carolyn",  "Ruth",
        "Virginia", "Martha",   "Frances",   "Gloria",  "Judy",      "Joan",   "Jean",     "Ann",
        "Kathleen", "Cheryl",   "Peggy",     "Marilyn", "Beverly",   "Evelyn", "Rose",     "Alice",
        "Phyllis",  "Lois",     "Connie",    "Marie",   "Rita",      "Elaine", "Gail",     "Bonnie",
        "Sylvia",   "María",    "Rosa",      "Irene",   "Doris",     "Wanda",  "Jo Ann",   "Vivian",
        "Norma",    "Lorraine", "Geraldine", "Darlene" };

constexpr std::array<std::string_view, 80> kLastNames
    = { "Smith",     "Johnson",    "Williams", "Brown",    "Jones",   "Miller",  "Davis",     "García",
        "Rodriguez", "Wilson",     "Martinez", "Anderson", "Taylor",  "Thomas",  "Hernández", "Moore",
        "Martin",    "Jackson",    "Thompson", "White",    "López",   "Lee",     "Gonzalez",  "Harris",
        "Clark",     "Lewis",      "Robinson", "Walker",   "Pérez",   "Hall",    "Young",     "Allen",
        "Sanchez",   "Wright",     "King",     "Scott",    "Green",   "Baker",   "Adams",     "Nelson",
        "Hill",      "Ramírez",    "Campbell", "Mitchell", "Roberts", "Carter",  "Phillips",  "Evans",
        "Turner",    "Torres",     "Parker",   "Collins",  "Edwards", "Stewart", "Flores",    "Morris",
        "Nguyen",    "Murphy",     "Rivera",   "Cook",     "Rogers",  "Morgan",  "Peterson",  "Cooper",
        "Reed",      "Bailey",     "Bell",     "Gómez",    "Kelly",   "Howard",  "Ward",      "Cox",
        "Díaz",      "Richardson", "Wood",     "Watson",   "Brooks",  "O'Brien", "Muñoz",     "McDonald" };

constexpr std::array<std::string_view, 10> kDomains
    = { "gmail.com",   "yahoo.com",  "aol.com", "hotmail.com",   "comcast.net",
        "outlook.com", "icloud.com", "att.net", "sbcglobal.net", "verizon.net" };

constexpr std::array<std::string_view, 16> kCarriers = { "Aetna",
                                                         "Humana",
                                                         "United Healthcare",
                                                         "Cigna",
                                                         "Mutual of Omaha",
                                                         "Blue Cross Blue Shield",
                                                         "Anthem",
                                                         "Ace Chubb",
                                                         "Allstate",
                                                         "Wellcare",
                                                         "Kaiser Permanente",
                                                         "Medico",
                                                         "Transamerica",
                                                         "Bankers Fidelity",
                                                         "Aflac",
                                                         "Manhattan Life" };

struct PlanWeight
{
    std::string_view name;
    int weight;
};
constexpr std::array<PlanWeight, 8> kPlans = { {
    { "Plan G", 42 },
    { "Plan N", 24 },
    { "Plan F", 10 },
    { "Medicare Advantage", 10 },
    { "High Deductible G", 5 },
    { "Plan K", 2 },
    { "PDP", 3 },
    { "", 4 },
} };

// Area codes are per state in reality; any plausible code is enough for a demo.
constexpr std::array<int, 16> kAreaCodes
    = { 205, 312, 404, 512, 602, 615, 713, 786, 813, 832, 904, 916, 919, 972, 480, 210 };

const char kContactsTable[] = R"(CREATE TABLE IF NOT EXISTS "contacts" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    current_carrier TEXT, 
    current_premium TEXT, 
    plan_type TEXT, 
    effective_date TEXT, 
    birth_date TEXT, 
    tobacco_user INTEGER NOT NULL DEFAULT 0,
    gender TEXT, 
    state TEXT, 
    zip_code TEXT, 
    agent_id INTEGER,
    last_emailed DATETIME,
    phone_number TEXT, 
    status TEXT NOT NULL DEFAULT '',
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
, aep_request BOOLEAN DEFAULT FALSE, aep_request_date DATETIME))";

const char kSchedulesTable[]
    = R"(CREATE TABLE IF NOT EXISTS "email_schedules" (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL, email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL DEFAULT '08:30:00', status TEXT NOT NULL DEFAULT 'scheduled', skip_reason TEXT, created_at TEXT NOT NULL DEFAULT (datetime ('now')), updated_at TEXT NOT NULL DEFAULT (datetime ('now')), batch_id TEXT, event_year INTEGER, event_month INTEGER, event_day INTEGER, catchup_note TEXT, actual_send_datetime TEXT, FOREIGN KEY (contact_id) REFERENCES contacts (id) ON DELETE CASCADE))";

const char kSchedulesUnique[] = "CREATE UNIQUE INDEX idx_email_schedules_unique ON email_schedules "
                                "(contact_id, email_type, scheduled_send_date)";
const char kSchedulesContact[]
    = "CREATE INDEX idx_email_schedules_org_contact ON email_schedules (contact_id)";

// Rows per INSERT statement. A table with AUTOINCREMENT updates sqlite_sequence once per
// statement, so many rows per statement roughly halve the cost of a row.
constexpr int kRowsPerInsert = 64;

// "INSERT INTO contacts (...) VALUES (?1, ..., ?16, ?16), (?17, ...)" for `rows` rows;
// updated_at repeats created_at.
QByteArray insertContactsSql(int rows)
{
    QByteArray sql = "INSERT INTO contacts (id, first_name, last_name, email, current_carrier, plan_type, "
                     "effective_date, birth_date, tobacco_user, gender, state, zip_code, agent_id, "
                     "phone_number, status, created_at, updated_at) VALUES ";
    constexpr int n = 16; // ContactRow::ParameterCount
    for (int row = 0; row < rows; ++row) {
        sql += row == 0 ? "(" : ", (";
        for (int i = 1; i <= n; ++i)
            sql += '?' + QByteArray::number(row * n + i) + ", ";
        sql += '?' + QByteArray::number(row * n + n) + ')';
    }
    return sql;
}

const char kInsertHistory[]
    = "INSERT INTO email_schedules (contact_id, email_type, scheduled_send_date, scheduled_send_time, "
      "status, created_at, updated_at, batch_id, event_year, event_month, event_day) "
      "VALUES (?1, ?2, ?3, '08:30:00', ?4, ?5, ?5, ?6, ?7, ?8, ?9)";

// Kinds of messy rows, each seen in production org databases.
enum class Mess {
    BadBirthDate,
    BadEffectiveDate,
    AlternativeDateFormats,
    FourDigitZip,
    ZipPlusFour,
    MissingZip,
    MissingZipAndState,
    MissingState,
    StateZipMismatch,
    BadEmail,
    Spaces,
    BadZip,
    Count
};

// Owns the connection and statements of one generation; closes them on every path.
class Writer
{
public:
    ~Writer() { close(); }

    // Statements first, then the connection.
    void close()
    {
        m_contact.reset();
        m_contacts.reset();
        m_history.reset();
        m_db.reset();
    }

    Result<void> open(const QString &path)
    {
        auto db = OrgDatabase::create(path);
        if (!db)
            return failure(db.error());
        m_db.emplace(std::move(db).value());
        // Only safe because the file is new and private until the final rename.
        const char *setup[] = { "PRAGMA journal_mode=OFF",
                                "PRAGMA synchronous=OFF",
                                "PRAGMA locking_mode=EXCLUSIVE",
                                "PRAGMA cache_size=-131072",
                                "BEGIN",
                                kContactsTable,
                                kSchedulesTable };
        for (const char *sql : setup) {
            if (auto r = m_db->exec(sql, action()); !r)
                return failure(r.error());
        }
        const QByteArray one = insertContactsSql(1);
        const QByteArray many = insertContactsSql(kRowsPerInsert);
        for (auto [target, sql] :
             { std::pair { &m_contact, one.constData() }, std::pair { &m_contacts, many.constData() },
               std::pair { &m_history, static_cast<const char *>(kInsertHistory) } }) {
            auto prepared = Statement::prepare(*m_db, sql, action());
            if (!prepared)
                return failure(prepared.error());
            target->emplace(std::move(prepared).value());
        }
        return {};
    }

    Result<void> finish()
    {
        // Indexes after the rows: building them once is faster than maintaining them per row.
        for (const char *sql : { kSchedulesUnique, kSchedulesContact, "COMMIT" }) {
            if (auto r = m_db->exec(sql, action()); !r)
                return failure(r.error());
        }
        return {};
    }

    // Runs an INSERT; the first error is kept for failure().
    bool step(Statement &statement)
    {
        auto done = statement.exec();
        statement.reset();
        if (!done && !m_error)
            m_error = failure(done.error());
        return done.ok();
    }

    // The error of the first failed step.
    Error failure() const
    {
        return m_error ? *m_error
                       : Error(DemoGenerator::ErrorKind::WriteFailed, tr("cannot write the demo database"));
    }

    std::optional<Statement> m_contact;  // one row
    std::optional<Statement> m_contacts; // kRowsPerInsert rows
    std::optional<Statement> m_history;

    OrgDatabase &db() { return *m_db; }

private:
    static QString action() { return tr("write the demo database"); }
    // The connection's message (it names the file), with the generator's error code.
    static Error failure(const Error &error)
    {
        return Error(DemoGenerator::ErrorKind::WriteFailed, error.message);
    }

    std::optional<OrgDatabase> m_db;
    std::optional<Error> m_error;
};

// The column values of one contact row, bound to a multi-row INSERT.
struct ContactRow
{
    qint64 id = 0;
    Field firstName, lastName, email, carrier, plan, effective, birth, gender, state, zip, agent, phone,
        status, created;
    int tobacco = 0;
    QDate birthDate, effectiveDate; // the true dates, before any messy formatting

    static constexpr int ParameterCount = 16;

    // Binds parameters first .. first + ParameterCount - 1.
    void bind(Statement &st, int first) const
    {
        st.bind(first, id);
        int i = first;
        for (const Field *f : { &firstName, &lastName, &email, &carrier, &plan, &effective, &birth })
            f->bind(st, ++i);
        st.bind(++i, tobacco);
        for (const Field *f : { &gender, &state, &zip, &agent, &phone, &status, &created })
            f->bind(st, ++i);
    }
};

// Generates the rows; one instance per generate() call.
class RowFactory
{
public:
    RowFactory(quint64 seed, QDate today) : m_random(seed), m_today(today)
    {
        const ZipTable &zips = ZipTable::defaults();
        m_prefixes.resize(kStates.size());
        std::vector<StateCode> codes;
        for (const StateWeight &s : kStates)
            codes.push_back(StateCode::fromString(QString::fromLatin1(s.code)));
        for (int prefix = 0; prefix < 1000; ++prefix) {
            const QString zip = QStringLiteral("%1").arg(prefix * 100 + 1, 5, 10, QLatin1Char('0'));
            const StateCode state = zips.stateForZip(zip);
            for (std::size_t i = 0; i < kStates.size(); ++i) {
                if (state == codes[i]) {
                    m_prefixes[i].push_back(prefix);
                    if (prefix < 100)
                        m_leadingZeroStates.push_back(int(i));
                }
            }
        }
        std::sort(m_leadingZeroStates.begin(), m_leadingZeroStates.end());
        m_leadingZeroStates.erase(std::unique(m_leadingZeroStates.begin(), m_leadingZeroStates.end()),
                                  m_leadingZeroStates.end());
        int total = 0;
        for (const StateWeight &s : kStates) {
            total += s.weight;
            m_cumulative.push_back(total);
        }
        for (const PlanWeight &p : kPlans)
            m_planTotal += p.weight;
    }

    // Whether the ZIP table knows every state (it always should: it is the shipped resource).
    QString missingState() const
    {
        for (std::size_t i = 0; i < kStates.size(); ++i) {
            if (m_prefixes[i].empty())
                return QLatin1StringView(kStates[i].code);
        }
        return {};
    }

    bool chance(double probability) { return m_random.chance(probability); }

    // Fills the fields of contact `id` and returns whether the row is one of the messy ones.
    bool makeContact(ContactRow &row, qint64 id, qint64 total, double messyFraction)
    {
        Random &r = m_random;
        m_row = &row;
        // Every state appears at least once when there are enough rows; then by population.
        int stateIndex;
        if (total >= qint64(kStates.size()) && id <= qint64(kStates.size()))
            stateIndex = int(id - 1);
        else
            stateIndex = int(std::upper_bound(m_cumulative.begin(), m_cumulative.end(),
                                              int(r.below(quint32(m_cumulative.back()))))
                             - m_cumulative.begin());

        const bool male = r.chance(0.47);
        const std::string_view first = male ? r.pick(kMaleNames) : r.pick(kFemaleNames);
        const std::string_view last = r.pick(kLastNames);

        // Ages 64-95, more of the younger ones, as in a Medicare book of business.
        const int age = std::min(95, 64 + int(32.0 * std::pow(r.unit(), 1.4)));
        const QDate birth = m_today.addDays(-qint64(age * 365.2425) - qint64(r.below(365)));

        // The policy usually starts on the 1st of the month the contact turns 65, or on the
        // 1st of a later month (switching carriers); a few start on another day, a few later
        // than today.
        QDate effective;
        if (!r.chance(0.04)) {
            const QDate at65 = QDate(birth.year() + 65, birth.month(), 1);
            if (r.chance(0.45)) {
                effective = at65;
            } else {
                const QDate from = std::max(at65, QDate(2006, 1, 1));
                const QDate until = m_today.addMonths(2);
                const int months = (until.year() - from.year()) * 12 + until.month() - from.month();
                effective = months > 0 ? from.addMonths(r.range(0, months)) : at65;
            }
            if (r.chance(0.06))
                effective = effective.addDays(r.chance(0.5) ? 14 : r.range(1, 27));
        }

        m_row->id = id;
        for (Field *f : { &m_row->firstName, &m_row->lastName, &m_row->email, &m_row->carrier, &m_row->plan,
                          &m_row->effective, &m_row->birth, &m_row->gender, &m_row->state, &m_row->zip,
                          &m_row->agent, &m_row->phone, &m_row->status, &m_row->created })
            f->clear();
        m_row->firstName << first;
        m_row->lastName << last;

        // The id keeps every address unique (names carry no digits, so the digit run is the id).
        const std::string_view domain = r.pick(kDomains);
        switch (r.below(4)) {
        case 0:
            m_row->email.mailName(first) << '.';
            m_row->email.mailName(last);
            break;
        case 1:
            m_row->email.mailName(first);
            m_row->email.mailName(last);
            break;
        case 2:
            m_row->email.mailName(first.substr(0, 1)) << '.';
            m_row->email.mailName(last);
            break;
        default:
            m_row->email.mailName(first) << '_';
            m_row->email.mailName(last);
            break;
        }
        m_row->email.number(id);
        m_row->email << '@' << domain;

        m_row->carrier << r.pick(kCarriers);
        int planPick = int(r.below(quint32(m_planTotal)));
        for (const PlanWeight &p : kPlans) {
            if ((planPick -= p.weight) < 0) {
                if (p.name.empty())
                    m_row->plan.setNull();
                else
                    m_row->plan << p.name;
                break;
            }
        }
        if (effective.isValid())
            appendDate(m_row->effective, effective, DateFormat::Iso);
        else
            m_row->effective.setNull();
        appendDate(m_row->birth, birth, DateFormat::Iso);

        const quint32 g = r.below(100);
        if (g < 90)
            m_row->gender << (male ? "M" : "F");
        else if (g < 97)
            m_row->gender << (male ? "Male" : "Female");
        else
            m_row->gender.setNull();

        m_row->state << kStates[std::size_t(stateIndex)].code;
        appendZip(stateIndex);

        if (r.chance(0.8))
            m_row->agent.number(r.range(1, 40));
        else
            m_row->agent.setNull();
        const int area = r.pick(kAreaCodes);
        const int exchange = r.range(200, 999), line = r.range(0, 9999);
        if (r.chance(0.8)) {
            m_row->phone << "+1";
            m_row->phone.number(area).number(exchange).number(line, 4);
        } else if (r.chance(0.75)) {
            m_row->phone << '(';
            m_row->phone.number(area) << ") ";
            m_row->phone.number(exchange) << '-';
            m_row->phone.number(line, 4);
        } else {
            m_row->phone << "";
        }
        const quint32 s = r.below(100);
        m_row->status << (s < 93 ? "active" : s < 97 ? "" : "requested_follow_up");
        appendDateTime(m_row->created, m_today.addDays(-qint64(r.below(1200)) - 1), int(r.below(86400)));
        m_row->tobacco = r.chance(0.09) ? 1 : 0;

        m_row->birthDate = birth;
        m_row->effectiveDate = effective;
        if (!r.chance(messyFraction))
            return false;
        makeMessy(stateIndex, id);
        return true;
    }

    // Earlier emails of the contact just made, as a legacy sender wrote them: upper-case types,
    // statuses sent/delivered/scheduled, event_year mostly empty. Returns the rows written.
    int writeHistory(Writer &writer, qint64 id, bool &ok)
    {
        Random &r = m_random;
        int written = 0;
        auto insert = [&](std::string_view type, QDate date, std::string_view status, QDate event) {
            Field dateField, created, batch;
            appendDate(dateField, date, DateFormat::Iso);
            appendDateTime(created, std::min(date, m_today).addDays(-r.range(1, 20)), int(r.below(86400)));
            batch << "legacy-";
            batch.number(date.year(), 4);
            batch.number(date.month(), 2);
            Statement &st = *writer.m_history;
            st.bind(1, id);
            st.bindUtf8(2, QByteArrayView(type.data(), qsizetype(type.size())));
            dateField.bind(st, 3);
            st.bindUtf8(4, QByteArrayView(status.data(), qsizetype(status.size())));
            created.bind(st, 5);
            batch.bind(st, 6);
            for (int i = 7; i <= 9; ++i)
                st.bindNull(i);
            if (event.isValid() && r.chance(0.3)) {
                st.bind(7, event.year());
                st.bind(8, event.month());
                st.bind(9, event.day());
            }
            ok = ok && writer.step(st);
            ++written;
        };
        const auto sentStatus
            = [&] { return r.chance(0.6) ? std::string_view("sent") : std::string_view("delivered"); };

        if (m_row->birthDate.isValid() && r.chance(0.7)) {
            // Either last year's birthday email went out, or this year's is already queued.
            const QDate next = nextOccurrence(m_row->birthDate);
            const QDate send = next.addDays(-14);
            if (send >= m_today && r.chance(0.4))
                insert("BIRTHDAY", send, "scheduled", next);
            else {
                const QDate previous = occurrence(m_row->birthDate, next.year() - 1);
                insert("BIRTHDAY", previous.addDays(-14), sentStatus(), previous);
            }
        }
        if (m_row->effectiveDate.isValid() && m_row->effectiveDate < m_today && r.chance(0.6)) {
            const QDate previous
                = occurrence(m_row->effectiveDate, nextOccurrence(m_row->effectiveDate).year() - 1);
            if (previous.year() > m_row->effectiveDate.year())
                insert("EFFECTIVE_DATE", previous.addDays(-30), sentStatus(), previous);
        }
        if (r.chance(0.5)) {
            const QDate aep(m_today.year() - 1, 9, r.chance(0.5) ? 1 : 7);
            insert("AEP", aep, sentStatus(), aep);
        }
        if (r.chance(0.15))
            insert("POST_WINDOW_BIRTHDAY", m_today.addDays(-r.range(30, 300)), sentStatus(), QDate());
        return written;
    }

private:
    QDate nextOccurrence(QDate event) const
    {
        const QDate thisYear = occurrence(event, m_today.year());
        return thisYear >= m_today ? thisYear : occurrence(event, m_today.year() + 1);
    }

    void appendZip(int stateIndex, bool plusFour = false)
    {
        const std::vector<int> &prefixes = m_prefixes[std::size_t(stateIndex)];
        const int prefix = prefixes[m_random.below(quint32(prefixes.size()))];
        m_row->zip.number(prefix * 100 + int(m_random.below(100)), 5);
        if (plusFour) {
            m_row->zip << '-';
            m_row->zip.number(m_random.range(0, 9999), 4);
        }
    }

    void makeMessy(int stateIndex, qint64 id)
    {
        Random &r = m_random;
        switch (static_cast<Mess>(r.below(quint32(Mess::Count)))) {
        case Mess::BadBirthDate:
            m_row->birth.clear();
            if (r.chance(0.15)) // a birth date after today is invalid too
                appendDate(m_row->birth, m_today.addYears(r.range(1, 30)), DateFormat::Iso);
            else
                appendBadDate(m_row->birth, r, m_row->birthDate.year());
            break;
        case Mess::BadEffectiveDate:
            m_row->effective.clear();
            appendBadDate(m_row->effective, r,
                          m_row->effectiveDate.isValid() ? m_row->effectiveDate.year() : 2020);
            break;
        case Mess::AlternativeDateFormats: {
            constexpr std::array<DateFormat, 6> formats
                = { DateFormat::IsoSlash, DateFormat::Mdy,     DateFormat::MdyDash,
                    DateFormat::Mmddyyyy, DateFormat::IsoTime, DateFormat::IsoT };
            m_row->birth.clear();
            appendDate(m_row->birth, m_row->birthDate, r.pick(formats));
            if (m_row->effectiveDate.isValid()) {
                m_row->effective.clear();
                appendDate(m_row->effective, m_row->effectiveDate, r.pick(formats));
            }
            break;
        }
        case Mess::FourDigitZip: {
            // Spreadsheets drop the leading zero of New England and New Jersey ZIP codes.
            const int zeroState = m_leadingZeroStates[r.below(quint32(m_leadingZeroStates.size()))];
            m_row->state.clear();
            m_row->state << kStates[std::size_t(zeroState)].code;
            const std::vector<int> &prefixes = m_prefixes[std::size_t(zeroState)];
            std::vector<int> low;
            for (int p : prefixes) {
                if (p < 100)
                    low.push_back(p);
            }
            m_row->zip.clear();
            m_row->zip.number(low[r.below(quint32(low.size()))] * 100 + int(r.below(100)));
            break;
        }
        case Mess::ZipPlusFour:
            m_row->zip.clear();
            appendZip(stateIndex, true);
            break;
        case Mess::MissingZip:
            if (r.chance(0.5))
                m_row->zip.setNull();
            else
                m_row->zip.clear();
            break;
        case Mess::MissingZipAndState:
            m_row->zip.clear();
            m_row->state.clear();
            if (r.chance(0.5)) {
                m_row->zip.setNull();
                m_row->state.setNull();
            }
            break;
        case Mess::MissingState:
            m_row->state.clear();
            break;
        case Mess::StateZipMismatch: {
            // A neighbouring row's state: a typo or a contact who moved.
            const int other
                = (stateIndex + 1 + int(r.below(quint32(kStates.size() - 1)))) % int(kStates.size());
            m_row->state.clear();
            m_row->state << kStates[std::size_t(other)].code;
            break;
        }
        case Mess::BadEmail: {
            Field bad;
            const std::string_view first = std::string_view(kMaleNames[r.below(quint32(kMaleNames.size()))]);
            bad.mailName(first);
            bad.number(id);
            switch (r.below(5)) {
            case 0:
                bad << "@gmail";
                break; // no dot in the domain
            case 1:
                bad << " @yahoo.com";
                break; // whitespace
            case 2:
                bad << ".aol.com";
                break; // no @
            case 3:
                bad << "@@comcast.net";
                break; // two @
            default:
                bad << "@gmail.com, x";
                bad.number(id);
                bad << "@aol.com";
                break; // two addresses
            }
            m_row->email = bad;
            break;
        }
        case Mess::Spaces: {
            // Leading/trailing spaces and lower-case states survive many spreadsheet exports;
            // after trimming they are valid.
            const Field email = m_row->email, zip = m_row->zip;
            m_row->email.clear();
            m_row->email << ' ' << email.view() << "  ";
            m_row->state.clear();
            m_row->state << ' ';
            m_row->state.mailName(kStates[std::size_t(stateIndex)].code) << ' ';
            m_row->zip.clear();
            m_row->zip << "  " << zip.view() << ' ';
            m_row->birth.clear();
            m_row->birth << ' ';
            appendDate(m_row->birth, m_row->birthDate, DateFormat::Iso);
            m_row->birth << "  ";
            break;
        }
        case Mess::BadZip:
            m_row->zip.clear();
            m_row->zip << r.pick(
                std::array<std::string_view, 5> { "00000", "ABCDE", "123", "9999999", "N/A" });
            break;
        case Mess::Count:
            break;
        }
    }

    Random m_random;
    QDate m_today;
    std::vector<std::vector<int>> m_prefixes; // ZIP3 prefixes per kStates index
    std::vector<int> m_leadingZeroStates;     // kStates indexes with ZIPs starting with 0
    std::vector<int> m_cumulative;
    int m_planTotal = 0;

    ContactRow *m_row = nullptr;
};

void removeDatabaseFiles(const QString &path)
{
    for (const char *suffix : { "", "-journal", "-wal", "-shm" })
        QFile::remove(path + QLatin1StringView(suffix));
}

} // namespace

QStringList DemoGenerator::schemaStatements()
{
    return { QString::fromUtf8(kContactsTable), QString::fromUtf8(kSchedulesTable),
             QString::fromUtf8(kSchedulesUnique), QString::fromUtf8(kSchedulesContact) };
}

Result<DemoGenerator::Summary> DemoGenerator::generate(const Options &options,
                                                       const ProgressFunction &progress,
                                                       const std::atomic_bool *cancel)
{
    QElapsedTimer timer;
    timer.start();
    const QFileInfo target(options.path);
    const QString path = target.absoluteFilePath();
    const QString shownPath = QDir::toNativeSeparators(path);
    if (options.path.isEmpty())
        return Error(DemoGenerator::ErrorKind::WriteFailed, tr("no file name given for the demo database"));
    if (options.contacts < 0)
        return Error(DemoGenerator::ErrorKind::WriteFailed, tr("the number of contacts cannot be negative"));
    if (target.exists() && !options.overwrite)
        return Error(
            DemoGenerator::ErrorKind::FileExists,
            tr("%1 already exists; choose another file name or allow overwriting it").arg(shownPath));
    if (!target.absoluteDir().exists())
        return Error(DemoGenerator::ErrorKind::WriteFailed,
                     tr("cannot write the demo database %1: the folder %2 does not exist")
                         .arg(shownPath, QDir::toNativeSeparators(target.absolutePath())));

    const QDate today = options.today.isValid() ? options.today : QDate::currentDate();
    RowFactory rows(options.seed, today);
    if (const QString state = rows.missingState(); !state.isEmpty())
        return Error(DemoGenerator::ErrorKind::WriteFailed,
                     tr("the ZIP table has no ZIP codes for %1").arg(state));

    const QString temporary = path + QStringLiteral(".generating");
    removeDatabaseFiles(temporary);
    Summary summary;
    {
        Writer writer;
        if (Result<void> opened = writer.open(temporary); !opened) {
            removeDatabaseFiles(temporary);
            return opened.error();
        }
        bool ok = true;
        std::vector<ContactRow> pending(kRowsPerInsert);
        int pendingCount = 0;
        for (qint64 id = 1; id <= options.contacts && ok; ++id) {
            ContactRow &row = pending[std::size_t(pendingCount++)];
            if (rows.makeContact(row, id, options.contacts, options.messyFraction))
                ++summary.messyRows;
            if (rows.chance(options.historyFraction))
                summary.historyRows += rows.writeHistory(writer, id, ok);
            if (pendingCount == kRowsPerInsert) {
                for (int i = 0; i < kRowsPerInsert; ++i)
                    pending[std::size_t(i)].bind(*writer.m_contacts, i * ContactRow::ParameterCount + 1);
                ok = ok && writer.step(*writer.m_contacts);
                pendingCount = 0;
            }
            if ((id & 0x3fff) == 0) {
                if (cancel && cancel->load(std::memory_order_relaxed)) {
                    writer.close();
                    removeDatabaseFiles(temporary);
                    return Error(DemoGenerator::ErrorKind::Cancelled,
                                 tr("generating the demo database was cancelled"));
                }
                if (progress)
                    progress(id, options.contacts);
            }
        }
        for (int i = 0; i < pendingCount && ok; ++i) {
            pending[std::size_t(i)].bind(*writer.m_contact, 1);
            ok = writer.step(*writer.m_contact);
        }
        if (ok && options.activity) {
            const DemoActivity::Options activity { today, options.seed, options.enrolledFraction };
            auto written = DemoActivity::write(writer.db(), activity);
            if (!written) {
                writer.close();
                removeDatabaseFiles(temporary);
                return Error(ErrorKind::WriteFailed, written.errorMessage());
            }
            summary.historyRows += *written;
        }
        Result<void> finished = ok ? writer.finish() : Result<void>(writer.failure());
        if (!finished) {
            const Error error = finished.error();
            writer.close();
            removeDatabaseFiles(temporary);
            return error;
        }
    }
    if (options.overwrite)
        removeDatabaseFiles(path);
    if (!QFile::rename(temporary, path)) {
        removeDatabaseFiles(temporary);
        return Error(
            DemoGenerator::ErrorKind::WriteFailed,
            tr("cannot write the demo database %1: renaming the finished file failed").arg(shownPath));
    }
    if (progress)
        progress(options.contacts, options.contacts);
    summary.contacts = options.contacts;
    summary.seconds = double(timer.nsecsElapsed()) / 1e9;
    return summary;
}
