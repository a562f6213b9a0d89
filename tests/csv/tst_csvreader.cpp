#include "csv/csvreader.h"

#include <QBuffer>
#include <QFile>
#include <QStringEncoder>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

// CsvReader and CsvDialect: parsing edge cases, encodings and detection.
class TestCsvReader : public QObject
{
    Q_OBJECT

private:
    static QList<QStringList> readAll(const QByteArray &bytes, const CsvDialect &dialect,
                                      QList<qint64> *lines = nullptr, QString *error = nullptr)
    {
        QByteArray copy = bytes;
        QBuffer buffer(&copy);
        buffer.open(QIODevice::ReadOnly);
        CsvReader reader(&buffer, dialect);
        QList<QStringList> rows;
        QStringList fields;
        while (reader.readRecord(fields)) {
            rows.append(fields);
            if (lines)
                lines->append(reader.recordLine());
        }
        if (error)
            *error = reader.errorString();
        return rows;
    }

private slots:
    void parsing_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QList<QStringList>>("expected");
        QTest::newRow("simple") << QByteArray("a,b\r\n1,2\r\n")
                                << QList<QStringList> { { u"a"_s, u"b"_s }, { u"1"_s, u"2"_s } };
        QTest::newRow("no final newline")
            << QByteArray("a,b\n1,2") << QList<QStringList> { { u"a"_s, u"b"_s }, { u"1"_s, u"2"_s } };
        QTest::newRow("cr only") << QByteArray("a\r1\r") << QList<QStringList> { { u"a"_s }, { u"1"_s } };
        QTest::newRow("quoted separators")
            << QByteArray("\"a,b\",\"c\"\"d\"\n") << QList<QStringList> { { u"a,b"_s, u"c\"d"_s } };
        QTest::newRow("newlines in field")
            << QByteArray("\"l1\r\nl2\nl3\",x\r\n") << QList<QStringList> { { u"l1\r\nl2\nl3"_s, u"x"_s } };
        QTest::newRow("empty fields")
            << QByteArray(",,\n") << QList<QStringList> { { QString(), QString(), QString() } };
        QTest::newRow("empty lines skipped")
            << QByteArray("a\n\n\r\nb\n") << QList<QStringList> { { u"a"_s }, { u"b"_s } };
        QTest::newRow("quoted empty") << QByteArray("\"\"\n") << QList<QStringList> { { QString() } };
        QTest::newRow("text after quote kept")
            << QByteArray("\"ab\"cd,e\n") << QList<QStringList> { { u"abcd"_s, u"e"_s } };
        QTest::newRow("quote inside unquoted")
            << QByteArray("a\"b,c\n") << QList<QStringList> { { u"a\"b"_s, u"c"_s } };
        QTest::newRow("trailing separator")
            << QByteArray("a,\n") << QList<QStringList> { { u"a"_s, QString() } };
    }

    void parsing()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QList<QStringList>, expected);
        QCOMPARE(readAll(bytes, CsvDialect()), expected);
    }

    void recordLines()
    {
        QList<qint64> lines;
        readAll("h\n\"multi\nline\",x\n\nlast\n", CsvDialect(), &lines);
        QCOMPARE(lines, (QList<qint64> { 1, 2, 5 }));
    }

    void unterminatedQuote()
    {
        QString error;
        const auto rows = readAll("a\n\"open,b\nc\n", CsvDialect(), nullptr, &error);
        QCOMPARE(rows.size(), 1);
        QVERIFY2(error.contains(u"line 2"_s), qPrintable(error));
    }

    void largeInputAcrossBlocks()
    {
        // Records and a CRLF straddling the 64 KiB read blocks must come through whole.
        QByteArray bytes;
        QList<QStringList> expected;
        for (int i = 0; i < 20000; ++i) {
            bytes += "row" + QByteArray::number(i) + ",\"q,\r\n" + QByteArray::number(i) + "\"\r\n";
            expected.append({ u"row"_s + QString::number(i), u"q,\r\n"_s + QString::number(i) });
        }
        QCOMPARE(readAll(bytes, CsvDialect()), expected);
    }

    void encodings_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("encoding");
        QTest::addColumn<bool>("bom");
        const QString text = u"name,city\nZoë,Besançon\n"_s;
        QTest::newRow("utf-8") << text.toUtf8() << int(CsvDialect::Encoding::Utf8) << false;
        QTest::newRow("utf-8 bom") << QByteArray("\xEF\xBB\xBF" + text.toUtf8())
                                   << int(CsvDialect::Encoding::Utf8) << true;
        QTest::newRow("latin-1") << text.toLatin1() << int(CsvDialect::Encoding::Latin1) << false;
        // Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated; and the other UTF forms.
        const auto encoded = [](const QString &t, QStringConverter::Encoding e, bool withBom) {
            QStringEncoder encoder(
                e, withBom ? QStringConverter::Flag::WriteBom : QStringConverter::Flag::Default);
            return QByteArray(encoder.encode(t));
        };
        QTest::newRow("utf-16 le bom")
            << encoded(text, QStringConverter::Utf16LE, true) << int(CsvDialect::Encoding::Utf16LE) << true;
        QTest::newRow("utf-16 be bom")
            << encoded(text, QStringConverter::Utf16BE, true) << int(CsvDialect::Encoding::Utf16BE) << true;
        QTest::newRow("utf-32 le bom")
            << encoded(text, QStringConverter::Utf32LE, true) << int(CsvDialect::Encoding::Utf32LE) << true;
        QTest::newRow("utf-32 be bom")
            << encoded(text, QStringConverter::Utf32BE, true) << int(CsvDialect::Encoding::Utf32BE) << true;
        QTest::newRow("utf-16 le, no bom")
            << encoded(text, QStringConverter::Utf16LE, false) << int(CsvDialect::Encoding::Utf16LE) << false;
        QTest::newRow("utf-16 be, no bom")
            << encoded(text, QStringConverter::Utf16BE, false) << int(CsvDialect::Encoding::Utf16BE) << false;
        // The BOM bytes by hand, not through Qt's encoder: FF FE is UTF-16 LE, FF FE 00 00 UTF-32 LE.
        QTest::newRow("utf-16 le bom, tabs")
            << QByteArray::fromHex("fffe6e0061006d006500090063006900740079000a005a006f00eb0009004200650073006"
                                   "1006e00e7006f006e000a00")
            << int(CsvDialect::Encoding::Utf16LE) << true;
    }

    void encodings()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, encoding);
        QFETCH(bool, bom);
        const CsvDialect dialect = CsvDialect::detect(bytes);
        QCOMPARE(int(dialect.encoding), encoding);
        QCOMPARE(dialect.hasBom, bom);
        QVERIFY(dialect.header);
        const auto rows = readAll(bytes, dialect);
        QCOMPARE(rows, (QList<QStringList> { { u"name"_s, u"city"_s }, { u"Zoë"_s, u"Besançon"_s } }));
    }

    void utf16And32FilesStream_data()
    {
        QTest::addColumn<int>("encoding");
        QTest::addColumn<int>("bytesPerUnit");
        QTest::newRow("utf-16 le") << int(QStringConverter::Utf16LE) << 2;
        QTest::newRow("utf-16 be") << int(QStringConverter::Utf16BE) << 2;
        QTest::newRow("utf-32 le") << int(QStringConverter::Utf32LE) << 4;
        QTest::newRow("utf-32 be") << int(QStringConverter::Utf32BE) << 4;
    }

    void utf16And32FilesStream()
    {
        // A file of several read blocks, with characters outside the BMP (surrogate pairs in
        // UTF-16) that fall across block boundaries: every record comes back intact.
        QFETCH(int, encoding);
        QFETCH(int, bytesPerUnit);
        QTemporaryDir dir;
        const QString path = dir.filePath(u"unicode.txt"_s);
        QStringEncoder encoder(QStringConverter::Encoding(encoding), QStringConverter::Flag::WriteBom);
        QByteArray bytes = encoder.encode(u"email\tname\n"_s);
        constexpr int Rows = 12000;
        for (int i = 0; i < Rows; ++i)
            bytes += encoder.encode(u"p"_s + QString::number(i) + u"@example.com\tZoë 😀 "_s
                                    + QString(i % 7, u'x') + u'\n');
        QVERIFY(bytes.size() > 4 * 64 * 1024);
        QVERIFY(bytes.size() % bytesPerUnit == 0);
        {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(bytes);
        }
        const auto dialect = CsvDialect::detectFile(path);
        QVERIFY(dialect.ok());
        QVERIFY(dialect->hasBom);
        QCOMPARE(dialect->separator, QChar(u'\t'));
        QVERIFY(dialect->header);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        CsvReader reader(&file, *dialect);
        QStringList fields;
        QVERIFY(reader.readRecord(fields));
        QCOMPARE(fields, (QStringList { u"email"_s, u"name"_s }));
        for (int i = 0; i < Rows; ++i) {
            QVERIFY2(reader.readRecord(fields), qPrintable(QString::number(i)));
            QCOMPARE(fields,
                     (QStringList { u"p"_s + QString::number(i) + u"@example.com"_s,
                                    u"Zoë 😀 "_s + QString(i % 7, u'x') }));
        }
        QVERIFY(!reader.readRecord(fields));
        QVERIFY(reader.errorString().isEmpty());
    }

    void latin1LateInFile()
    {
        // The sample is valid UTF-8; only the whole-file check finds the Latin-1 byte.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"late.csv"_s);
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("email,city\n");
        for (int i = 0; i < 20000; ++i)
            file.write("person" + QByteArray::number(i) + "@example.com,Springfield\n");
        file.write("last@example.com,Besan\xE7on\n");
        file.close();
        auto dialect = CsvDialect::detectFile(path);
        QVERIFY(dialect.ok());
        QCOMPARE(dialect->encoding, CsvDialect::Encoding::Latin1);
        QVERIFY(!CsvDialect::detectFile(dir.filePath(u"missing.csv"_s)).ok());
    }

    void detectSeparator_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QChar>("separator");
        QTest::addColumn<QChar>("quote");
        QTest::addColumn<bool>("header");
        QTest::newRow("comma") << QByteArray("a,b,c\n1,2,3\n4,5,6\n") << QChar(u',') << QChar(u'"') << true;
        QTest::newRow("semicolon with decimal commas")
            << QByteArray("name;amount\nx;1,5\ny;2,25\n") << QChar(u';') << QChar(u'"') << true;
        QTest::newRow("tab") << QByteArray("a\tb\n1\t2\n") << QChar(u'\t') << QChar(u'"') << true;
        QTest::newRow("pipe") << QByteArray("a|b|c\n1|2|3\n") << QChar(u'|') << QChar(u'"') << true;
        QTest::newRow("quoted commas in semicolon file")
            << QByteArray("\"a,1\";\"b,2\"\n\"c,3\";\"d,4\"\n") << QChar(u';') << QChar(u'"') << true;
        QTest::newRow("single quote")
            << QByteArray("'a;b','c'\n'd;e','f'\n") << QChar(u',') << QChar(u'\'') << true;
        QTest::newRow("no header") << QByteArray("ann@x.com,1955-01-02\nbob@y.com,1956-03-04\n")
                                   << QChar(u',') << QChar(u'"') << false;
    }

    void detectSeparator()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QChar, separator);
        QFETCH(QChar, quote);
        QFETCH(bool, header);
        const CsvDialect d = CsvDialect::detect(bytes);
        QCOMPARE(d.separator, separator);
        QCOMPARE(d.quote, quote);
        QCOMPARE(d.header, header);
    }
};

QTEST_GUILESS_MAIN(TestCsvReader)
#include "tst_csvreader.moc"
