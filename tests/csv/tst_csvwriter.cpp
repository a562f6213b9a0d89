#include "csv/csvreader.h"
#include "csv/csvwriter.h"
#include "referencecsv.h"

#include <QBuffer>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;

// CsvWriter: quoting, formula neutralisation and a round trip through an independent parser.
class TestCsvWriter : public QObject
{
    Q_OBJECT

private:
    static QList<QStringList> referenceParse(const QByteArray &bytes, char sep = ',', char quote = '"')
    {
        return ReferenceCsv::parse(QString::fromUtf8(bytes), QLatin1Char(sep), QLatin1Char(quote));
    }

    static QByteArray write(const QList<QStringList> &rows, const CsvOptions &options,
                            const QList<bool> &text = {})
    {
        QByteArray out;
        QBuffer buffer(&out);
        buffer.open(QIODevice::WriteOnly);
        CsvWriter writer(&buffer, options);
        writer.setTextColumns(text);
        for (const QStringList &r : rows) {
            if (!writer.writeRow(r))
                qFatal("write failed");
        }
        writer.flush();
        return out;
    }

private slots:
    void neutralise_data()
    {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QString>("expected");
        QTest::newRow("formula") << u"=SUM(A1:A3)"_s << u"'=SUM(A1:A3)"_s;
        QTest::newRow("dde") << u"=cmd|' /C calc'!A0"_s << u"'=cmd|' /C calc'!A0"_s;
        QTest::newRow("plus formula") << u"+1+2"_s << u"'+1+2"_s;
        QTest::newRow("minus formula") << u"-2+3"_s << u"'-2+3"_s;
        QTest::newRow("at") << u"@SUM(1)"_s << u"'@SUM(1)"_s;
        QTest::newRow("tab") << u"\t=1"_s << u"'\t=1"_s;
        QTest::newRow("cr") << u"\r=1"_s << u"'\r=1"_s;
        QTest::newRow("negative number") << u"-12.5"_s << u"-12.5"_s;
        QTest::newRow("negative int") << u"-7"_s << u"-7"_s;
        QTest::newRow("plus number") << u"+18326598379"_s << u"+18326598379"_s;
        QTest::newRow("exponent") << u"-1.5e3"_s << u"-1.5e3"_s;
        QTest::newRow("lone minus") << u"-"_s << u"-"_s;
        QTest::newRow("lone plus") << u"+"_s << u"'+"_s;
        QTest::newRow("double minus") << u"--"_s << u"'--"_s;
        QTest::newRow("phone with spaces") << u"+1 832 659 8379"_s << u"'+1 832 659 8379"_s;
        QTest::newRow("minus date") << u"-2024-01-05"_s << u"'-2024-01-05"_s;
        QTest::newRow("date") << u"2024-01-05"_s << u"2024-01-05"_s;
        QTest::newRow("email") << u"a@b.com"_s << u"a@b.com"_s;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("inner equals") << u"a=b"_s << u"a=b"_s;
        QTest::newRow("minus dot") << u"-."_s << u"'-."_s;
        QTest::newRow("bad exponent") << u"-1e"_s << u"'-1e"_s;
    }

    void neutralise()
    {
        QFETCH(QString, cell);
        QFETCH(QString, expected);
        QCOMPARE(CsvWriter::neutralise(cell), expected);
        // The same in a written file, parsed back.
        CsvOptions o;
        const QByteArray bytes = write({ { cell, u"x"_s } }, o);
        const auto rows = referenceParse(bytes);
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows[0][0], expected);
        o.neutraliseFormulas = false;
        QCOMPARE(referenceParse(write({ { cell, u"x"_s } }, o))[0][0], cell);
    }

    void quoting_data()
    {
        QTest::addColumn<QString>("cell");
        QTest::addColumn<QByteArray>("written");
        QTest::newRow("plain") << u"abc"_s << QByteArray("abc\r\n");
        QTest::newRow("comma") << u"a,b"_s << QByteArray("\"a,b\"\r\n");
        QTest::newRow("quote") << u"say \"hi\""_s << QByteArray("\"say \"\"hi\"\"\"\r\n");
        QTest::newRow("lf") << u"a\nb"_s << QByteArray("\"a\nb\"\r\n");
        QTest::newRow("crlf") << u"a\r\nb"_s << QByteArray("\"a\r\nb\"\r\n");
        QTest::newRow("cr") << u"a\rb"_s << QByteArray("\"a\rb\"\r\n");
        QTest::newRow("leading space") << u" a"_s << QByteArray("\" a\"\r\n");
        QTest::newRow("single empty field") << QString() << QByteArray("\"\"\r\n");
        QTest::newRow("unicode") << u"Zoë Ångström 日本"_s
                                 << QString(u"Zoë Ångström 日本"_s).toUtf8().append("\r\n");
        QTest::newRow("formula with comma") << u"=1,2"_s << QByteArray("\"'=1,2\"\r\n");
    }

    void quoting()
    {
        QFETCH(QString, cell);
        QFETCH(QByteArray, written);
        QCOMPARE(write({ { cell } }, CsvOptions()), written);
    }

    void options()
    {
        CsvOptions o;
        o.separator = u';';
        o.lineEnding = CsvOptions::LineEnding::Lf;
        o.utf8Bom = true;
        QCOMPARE(write({ { u"a"_s, u"b;c"_s, u"1,5"_s }, { u"d"_s, QString(), u"e"_s } }, o),
                 QByteArray("\xEF\xBB\xBF"
                            "a;\"b;c\";1,5\nd;;e\n"));
        o = CsvOptions();
        o.quoteAll = true;
        QCOMPARE(write({ { u"a"_s, QString() } }, o), QByteArray("\"a\",\"\"\r\n"));
        o = CsvOptions();
        o.separator = u'\t';
        o.quote = u'\'';
        QCOMPARE(write({ { u"it's"_s, u"a\tb"_s } }, o), QByteArray("'it''s'\t'a\tb'\r\n"));
    }

    void textColumnsStayText()
    {
        CsvOptions o;
        // ZIP with a leading zero and a phone number: always quoted.
        QCOMPARE(write({ { u"Ann"_s, u"02134"_s, u"+18326598379"_s } }, o, { false, true, true }),
                 QByteArray("Ann,\"02134\",\"+18326598379\"\r\n"));
        o.excelTextFormula = true;
        QCOMPARE(write({ { u"Ann"_s, u"02134"_s, QString() } }, o, { false, true, true }),
                 QByteArray("Ann,\"=\"\"02134\"\"\",\"\"\r\n"));
        const auto rows = referenceParse(write({ { u"02134"_s } }, o, { true }));
        QCOMPARE(rows[0][0], u"=\"02134\""_s);
    }

    void headerRow()
    {
        QByteArray out;
        QBuffer buffer(&out);
        buffer.open(QIODevice::WriteOnly);
        CsvOptions o;
        o.header = false;
        CsvWriter writer(&buffer, o);
        QVERIFY(writer.writeHeader({ u"a"_s }));
        QVERIFY(writer.writeRow(QStringList { u"1"_s }));
        writer.flush();
        QCOMPARE(out, QByteArray("1\r\n"));
        QCOMPARE(writer.rowsWritten(), 1);
    }

    void roundTrip_data()
    {
        QTest::addColumn<QChar>("separator");
        QTest::addColumn<bool>("crlf");
        QTest::newRow("comma crlf") << QChar(u',') << true;
        QTest::newRow("semicolon lf") << QChar(u';') << false;
        QTest::newRow("tab crlf") << QChar(u'\t') << true;
    }

    void roundTrip()
    {
        QFETCH(QChar, separator);
        QFETCH(bool, crlf);
        // Random cells built from the characters that matter to CSV, plus letters and digits.
        const QString alphabet = u"ab1 ,;\t\"'\r\n=+-@é日"_s;
        QRandomGenerator rng(4180);
        QList<QStringList> rows;
        for (int r = 0; r < 2000; ++r) {
            QStringList row;
            for (int c = 0; c < 6; ++c) {
                QString cell;
                const int len = int(rng.bounded(8));
                for (int i = 0; i < len; ++i)
                    cell += alphabet[qsizetype(rng.bounded(int(alphabet.size())))];
                row.append(cell);
            }
            rows.append(row);
        }
        CsvOptions o;
        o.separator = separator;
        o.lineEnding = crlf ? CsvOptions::LineEnding::CrLf : CsvOptions::LineEnding::Lf;
        o.neutraliseFormulas = false;
        const QByteArray bytes = write(rows, o);
        QCOMPARE(referenceParse(bytes, char(separator.unicode())), rows);
        QCOMPARE(CsvReader::parse(QString::fromUtf8(bytes), separator), rows);

        // With the guard on, every cell comes back as neutralise() says.
        o.neutraliseFormulas = true;
        QList<QStringList> expected = rows;
        for (QStringList &row : expected) {
            for (QString &cell : row)
                cell = CsvWriter::neutralise(cell);
        }
        QCOMPARE(referenceParse(write(rows, o), char(separator.unicode())), expected);
    }

    void deviceFailure()
    {
        QByteArray out;
        QBuffer buffer(&out);
        buffer.open(QIODevice::ReadOnly); // writing is refused
        CsvWriter writer(&buffer, CsvOptions());
        QTest::ignoreMessage(QtWarningMsg, "QIODevice::write (QBuffer): ReadOnly device");
        writer.writeRow(QStringList { u"a"_s });
        QVERIFY(!writer.flush());
        QVERIFY(!writer.errorString().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestCsvWriter)
#include "tst_csvwriter.moc"
