// The schedule preview of one contact: the timeline draws no email outside its span (it names
// the later ones instead), its "Today" label and the year-round notice never overlap, and a
// birth date after today is named as the problem it is.

#include "batch/contactpreview.h"
#include "schedulepreviewdock.h"
#include "timelinewidget.h"

#include <QImage>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

namespace {

Contact contact(qint64 id, const QString &state, const QString &zip, const QString &birth,
                const QString &effective = QString())
{
    Contact c;
    c.id = id;
    c.firstName = QStringLiteral("Test");
    c.lastName = QStringLiteral("Person");
    c.email = QStringLiteral("test%1@example.com").arg(id);
    c.state = state;
    c.zipCode = zip;
    c.birthDate = birth;
    c.effectiveDate = effective;
    return c;
}

// How many pixels of `color` (give or take antialiasing) lie in `area` of the image.
int pixelsOf(const QImage &image, const QRect &area, const QColor &color)
{
    int count = 0;
    const QRect r = area.intersected(image.rect());
    for (int y = r.top(); y <= r.bottom(); ++y) {
        for (int x = r.left(); x <= r.right(); ++x) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - color.red()) < 24 && qAbs(c.green() - color.green()) < 24
                && qAbs(c.blue() - color.blue()) < 24)
                ++count;
        }
    }
    return count;
}

} // namespace

class TestPreviewTimeline : public QObject
{
    Q_OBJECT

private slots:
    void emailsAfterTheSpanAreNotDrawnAtItsEdge();
    void todayAndYearRoundNoticeDoNotOverlap_data();
    void todayAndYearRoundNoticeDoNotOverlap();
    void futureBirthDateIsNamed();

private:
    const QDate m_today { 2025, 3, 3 };
};

void TestPreviewTimeline::emailsAfterTheSpanAreNotDrawnAtItsEdge()
{
    // Texas, birthday in September: the birthday email is mid-span, nothing near its end.
    ContactPreview preview = computeContactPreview(
        contact(1, QStringLiteral("TX"), QStringLiteral("75001"), QStringLiteral("1950-09-15")), {}, m_today,
        Config());
    QVERIFY(preview.found);
    // Two birthday emails after the span, as a long schedule can have.
    ScheduledEmail late;
    late.type = EmailType::Birthday;
    late.date = preview.to.addDays(40);
    preview.schedule.emails.push_back(late);
    late.date = preview.to.addDays(90);
    preview.schedule.emails.push_back(late);

    TimelineWidget timeline;
    timeline.resize(640, timeline.sizeHint().height());
    timeline.setPreview(preview);
    QCOMPARE(timeline.emailsAfterSpan(), 2);
    const TimelineWidget::Labels labels = timeline.labels();
    QVERIFY(!labels.later.isEmpty());
    QVERIFY2(labels.laterText.contains(u'2'), qPrintable(labels.laterText));
    // Named above the strip, not inside it.
    QVERIFY(labels.later.bottom() <= timeline.plotRect().top());

    const QImage image = timeline.grab().toImage();
    const QRectF plot = timeline.plotRect();
    const QRect rightEdge(int(plot.right()) - 8, int(plot.top()), 16, int(plot.height()));
    QCOMPARE(pixelsOf(image, rightEdge, TimelineWidget::typeColor(EmailType::Birthday)), 0);
    // The birthday inside the span is drawn.
    QVERIFY(pixelsOf(image, plot.toRect(), TimelineWidget::typeColor(EmailType::Birthday)) > 0);
}

void TestPreviewTimeline::todayAndYearRoundNoticeDoNotOverlap_data()
{
    QTest::addColumn<int>("width");
    for (int width : { 240, 320, 480, 640, 900 })
        QTest::addRow("%d px", width) << width;
}

void TestPreviewTimeline::todayAndYearRoundNoticeDoNotOverlap()
{
    QFETCH(int, width);
    // New York is a year-round state; schedule emails after the span as well, for the header.
    ContactPreview preview
        = computeContactPreview(contact(2, QStringLiteral("NY"), QStringLiteral("10001"),
                                        QStringLiteral("1950-06-15"), QStringLiteral("2010-07-01")),
                                {}, m_today, Config());
    QVERIFY(preview.yearRound);
    ScheduledEmail late;
    late.type = EmailType::Aep;
    late.date = preview.to.addDays(20);
    preview.schedule.emails.push_back(late);

    TimelineWidget timeline;
    timeline.resize(width, timeline.sizeHint().height());
    timeline.setPreview(preview);
    const TimelineWidget::Labels labels = timeline.labels();
    const QRectF widget = timeline.rect();
    QVERIFY(!labels.today.isEmpty());
    QVERIFY(widget.contains(labels.today));
    if (width >= 320)
        QVERIFY2(!labels.notice.isEmpty(), "the year-round notice is shown");
    const QList<QRectF> shown = { labels.today, labels.later, labels.notice };
    for (qsizetype i = 0; i < shown.size(); ++i) {
        if (shown[i].isEmpty())
            continue;
        QVERIFY(widget.contains(shown[i]));
        for (qsizetype j = i + 1; j < shown.size(); ++j)
            QVERIFY2(shown[j].isEmpty() || !shown[i].intersects(shown[j]),
                     qPrintable(QStringLiteral("labels %1 and %2 overlap").arg(i).arg(j)));
    }
    // The dashed "today" line does not run through the notice's text.
    const double todayX = timeline.xOf(m_today);
    if (!labels.notice.isEmpty())
        QVERIFY(labels.notice.left() > todayX + 1 || labels.notice.right() < todayX - 1);
}

void TestPreviewTimeline::futureBirthDateIsNamed()
{
    const ContactPreview preview = computeContactPreview(
        contact(3, QStringLiteral("TX"), QStringLiteral("75001"), QStringLiteral("2031-11-29")), {}, m_today,
        Config());
    QCOMPARE(preview.futureBirthDate, QDate(2031, 11, 29));
    const ContactPreview unreadable = computeContactPreview(
        contact(4, QStringLiteral("TX"), QStringLiteral("75001"), QStringLiteral("31/02/1950")), {}, m_today,
        Config());
    QVERIFY(!unreadable.futureBirthDate.isValid());

    // In the dock, from a database: the problem is named, not "born 2031-11-29".
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("future.sqlite3"));
    sqlite3 *db = nullptr;
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(
        sqlite3_exec(
            db,
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, "
            "current_carrier TEXT, plan_type TEXT, effective_date TEXT, birth_date TEXT, gender TEXT, "
            "state TEXT, zip_code TEXT, phone_number TEXT, status TEXT);"
            "INSERT INTO contacts (id, first_name, last_name, email, state, zip_code, birth_date) VALUES "
            "(7, 'Flo', 'Future', 'flo@example.com', 'TX', '75001', '2031-11-29');",
            nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);

    SchedulePreviewDock dock;
    dock.setToday(m_today);
    dock.setDatabase(path);
    QSignalSpy shown(&dock, &SchedulePreviewDock::previewShown);
    dock.showContact(7);
    QVERIFY(shown.wait(10000));
    QString details;
    const QList<QLabel *> labels = dock.findChildren<QLabel *>();
    for (const QLabel *label : labels) {
        if (label->text().contains(u"flo@example.com"))
            details = label->text();
    }
    QVERIFY2(details.contains(u"in the future"), qPrintable(details));
    QVERIFY2(details.contains(QLocale().toString(QDate(2031, 11, 29), QStringLiteral("MMM d, yyyy"))),
             qPrintable(details));
    QVERIFY2(!details.contains(u"born"), qPrintable(details));
    // Said once: no other visible line repeats it (the engine's "is after today" wording).
    for (const QLabel *label : labels) {
        if (label->isVisibleTo(&dock) && label->text() != details)
            QVERIFY2(!label->text().contains(u"2031"), qPrintable(label->text()));
    }

    // A second problem still shows on the problems line, without the birth date's.
    QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
    QCOMPARE(sqlite3_exec(db, "UPDATE contacts SET zip_code = '9' WHERE id = 7", nullptr, nullptr, nullptr),
             SQLITE_OK);
    sqlite3_close(db);
    dock.showContact(7);
    QVERIFY(shown.wait(10000));
    QStringList visible;
    for (const QLabel *label : labels) {
        if (label->isVisibleTo(&dock))
            visible << label->text();
    }
    const QString all = visible.join(u'\n');
    QCOMPARE(all.count(u"2031"), 1);
    QVERIFY2(all.contains(u"Data problems: "), qPrintable(all));
}

QTEST_MAIN(TestPreviewTimeline)
#include "tst_previewtimeline.moc"
