#include "result.h"

#include <QTest>

namespace {
enum class StorageKind { Missing, Cancelled };
enum class FileKind { Missing, Cancelled };
} // namespace

// Error kinds keep their layer's enum type: kinds of two layers never compare equal, even when
// their values are the same number.
class TestResult final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void kindKeepsItsType()
    {
        const Error error(StorageKind::Cancelled, QStringLiteral("cancelled"));
        QVERIFY(error.hasKind());
        QCOMPARE(error.message, QStringLiteral("cancelled"));
        QVERIFY(error.kind<StorageKind>().has_value());
        QVERIFY(*error.kind<StorageKind>() == StorageKind::Cancelled);
        QVERIFY(error.is(StorageKind::Cancelled));
        QVERIFY(!error.is(StorageKind::Missing));
        // The same underlying value in another layer's enum is not this error's kind.
        QVERIFY(!error.kind<FileKind>().has_value());
        QVERIFY(!error.is(FileKind::Cancelled));
    }

    void errorWithoutKind()
    {
        const Error error(QStringLiteral("bad key"));
        QVERIFY(!error.hasKind());
        QVERIFY(!error.kind<StorageKind>().has_value());
        QVERIFY(!Error().hasKind());
    }

    void resultCarriesTheKind()
    {
        const Result<int> failed = Error(FileKind::Missing, QStringLiteral("no file"));
        QVERIFY(!failed.ok());
        QVERIFY(failed.error().is(FileKind::Missing));
        QCOMPARE(failed.errorMessage(), QStringLiteral("no file"));
        const Result<void> copied = failed.error();
        QVERIFY(copied.error().is(FileKind::Missing));
        const Result<int> value = 7;
        QVERIFY(value.ok());
        QCOMPARE(*value, 7);
    }
};

QTEST_GUILESS_MAIN(TestResult)
#include "tst_result.moc"
