// Times the contact table's index (ContactQuery::buildIndex) for a few sorts and filters on a
// generated organisation as an SQLite file and as its copy on PostgreSQL (a throwaway cluster,
// tests/common/pgcluster.h), plus one page of rows. See docs/BACKENDS.md.

#include "benchutil.h"
#include "items/contactcolumn.h"
#include "pgcluster.h"
#include "storage/contactquery.h"
#include "storage/demogenerator.h"
#include "storage/pg/orgcopy.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTextStream>

namespace {

using namespace BenchUtil;

struct Case
{
    const char *name;
    ContactIndexRequest request;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Contact table index on SQLite vs PostgreSQL."));
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("contacts"), QStringLiteral("Contacts to generate."),
                       QStringLiteral("N"), QStringLiteral("1000000") });
    parser.process(app);

    QTemporaryDir dir;
    PgCluster cluster;
    if (!cluster.start()) {
        out() << "cluster: " << cluster.error() << Qt::endl;
        return 1;
    }
    QElapsedTimer timer;
    timer.start();
    DemoGenerator::Options options;
    options.path = dir.filePath(QStringLiteral("org.sqlite3"));
    options.contacts = parser.value(QStringLiteral("contacts")).toLongLong();
    if (auto generated = DemoGenerator::generate(options); !generated) {
        out() << generated.errorMessage() << Qt::endl;
        return 1;
    }
    out() << "generate    " << options.contacts << " contacts in " << seconds(timer) << " s" << Qt::endl;
    const QString uri = cluster.createDatabase(QStringLiteral("org"));
    timer.restart();
    if (auto copied = OrgCopy::copy(options.path, uri); !copied) {
        out() << copied.errorMessage() << Qt::endl;
        return 1;
    }
    (void)cluster.exec("VACUUM ANALYZE", QStringLiteral("org"));
    out() << "copy-db     in " << seconds(timer) << " s" << Qt::endl;

    const QDate today = QDate::currentDate();
    ContactFilter withProblems;
    withProblems.setQuickFilter(QuickFilter::WithProblems);
    ContactFilter name;
    name.setColumnText(ContactColumn::LastName, QStringLiteral("son"));
    ContactFilter listed;
    listed.setQuickFilter(QuickFilter::DoNotEmail);
    const std::vector<Case> cases {
        { "id asc", { ContactFilter(), ContactColumn::Id, Qt::AscendingOrder, today } },
        { "last name asc", { ContactFilter(), ContactColumn::LastName, Qt::AscendingOrder, today } },
        { "email desc", { ContactFilter(), ContactColumn::Email, Qt::DescendingOrder, today } },
        { "birth date asc", { ContactFilter(), ContactColumn::BirthDate, Qt::AscendingOrder, today } },
        { "problems asc", { ContactFilter(), ContactColumn::Problems, Qt::AscendingOrder, today } },
        { "'son' in last name, by state", { name, ContactColumn::State, Qt::AscendingOrder, today } },
        { "with problems, by id", { withProblems, ContactColumn::Id, Qt::AscendingOrder, today } },
        { "do not email, by last name", { listed, ContactColumn::LastName, Qt::AscendingOrder, today } },
    };
    for (const QString &database : { options.path, uri }) {
        const bool server = database == uri;
        ContactQuery query;
        if (auto opened = query.open(database); !opened) {
            out() << opened.errorMessage() << Qt::endl;
            return 1;
        }
        for (const Case &c : cases) {
            timer.restart();
            auto ids = query.buildIndex(c.request);
            if (!ids) {
                out() << ids.errorMessage() << Qt::endl;
                return 1;
            }
            const double built = seconds(timer);
            timer.restart();
            auto page = query.fetchRows(ids->mid(ids->size() / 2, 200), today);
            if (!page) {
                out() << page.errorMessage() << Qt::endl;
                return 1;
            }
            out() << (server ? "postgresql  " : "sqlite      ") << qSetFieldWidth(32) << Qt::left << c.name
                  << qSetFieldWidth(0) << " " << ids->size() << " ids in " << built << " s, a page in "
                  << seconds(timer) * 1000 << " ms" << Qt::endl;
        }
    }
    return 0;
}
