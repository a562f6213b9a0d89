#pragma once

#include <QByteArray>
#include <QDate>

// One small organisation with campaigns, a do-not-email list and a bounce (SPEC 12-14), shared by
// the writer, preview CSV and CLI suites. As of kToday = 2025-06-01, every contact in TX (no
// state rule), no birth or effective date, so each gets only AEP and campaign emails:
// - AEP slot = id mod 4 of 08-18, 08-25, 09-01, 09-07 (2025): contact 1 -> 2025-08-25,
//   contact 3 -> 2025-09-07, contact 6 -> 2025-09-01.
// - Two live campaigns for all contacts, both starting today (case 3 of SPEC 12: D = active
//   start, no catch-up): carrier_update (instance 6, priority 20) and newsletter (instance 5, priority 30).
//   Same date: campaign conflict, the lower priority number stays -> carrier_update
//   pre-scheduled, newsletter skipped `campaign_conflict`.
// - Instance 9 names a type that does not exist: one run warning `campaign_invalid`.
// - Contact 2 is on the do-not-email list (stored as " C2@Example.com ", reason unsubscribed):
//   no emails; its pre-scheduled and skipped rows go, its sent row stays.
// - Contact 4 bounced (email_send_tracking) and has an unreadable birth date: suppressed
//   (reason bounced) with the warning invalid_birth_date.
// - Contact 6 was sent a birthday email (scheduled 05-20, actually sent 2025-05-21 09:00: S =
//   05-21, within the 35-day lookback) and clicked on 05-22: followup_2_clicked_no_hq on
//   max(S + 2, today) = 2025-06-01, event date S.
// Valid contacts 5 -> daily cap 1; the only date with several emails (06-01) holds pinned
// campaign and follow-up emails, so load balancing moves nothing.
namespace CampaignFixture {

inline const QDate kToday(2025, 6, 1);

inline QByteArray sql()
{
    return R"SQL(
CREATE TABLE contacts(id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email TEXT, current_carrier TEXT,
  plan_type TEXT, effective_date TEXT, birth_date TEXT, gender TEXT, state TEXT, zip_code TEXT, phone_number TEXT,
  status TEXT);
INSERT INTO contacts(id, email, state, birth_date) VALUES (1, 'c1@example.com', 'TX', NULL),
  (2, 'c2@example.com', 'TX', NULL), (3, 'c3@example.com', 'TX', NULL), (4, 'c4@example.com', 'TX', 'garbage'),
  (6, 'c6@example.com', 'TX', NULL);
CREATE TABLE email_schedules (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL,
  email_type TEXT NOT NULL, scheduled_send_date TEXT NOT NULL, scheduled_send_time TEXT NOT NULL
  DEFAULT '08:30:00', status TEXT NOT NULL DEFAULT 'scheduled', skip_reason TEXT, created_at TEXT,
  updated_at TEXT, batch_id TEXT, event_year INTEGER, event_month INTEGER, event_day INTEGER,
  catchup_note TEXT, actual_send_datetime TEXT);
CREATE UNIQUE INDEX idx_email_schedules_unique ON email_schedules (contact_id, email_type, scheduled_send_date);
INSERT INTO email_schedules(contact_id, email_type, scheduled_send_date, status, skip_reason) VALUES
  (2, 'birthday', '2025-07-01', 'pre-scheduled', NULL), (2, 'aep', '2025-09-01', 'skipped', 'spacing: x'),
  (2, 'birthday', '2024-07-01', 'sent', NULL);
INSERT INTO email_schedules(contact_id, email_type, scheduled_send_date, status, actual_send_datetime) VALUES
  (6, 'birthday', '2025-05-20', 'sent', '2025-05-21 09:00:00');
CREATE TABLE tracking_clicks(id INTEGER PRIMARY KEY AUTOINCREMENT, tracking_id TEXT NOT NULL, contact_id INTEGER,
  quote_id TEXT, clicked_at DATETIME DEFAULT CURRENT_TIMESTAMP);
INSERT INTO tracking_clicks(tracking_id, contact_id, clicked_at) VALUES ('t1', 6, '2025-05-22 12:00:00');
CREATE TABLE campaign_types(id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL, respect_exclusion_windows
  INTEGER NOT NULL DEFAULT 1, enable_followups INTEGER NOT NULL DEFAULT 0, days_before_event INTEGER NOT NULL
  DEFAULT 30, target_all_contacts INTEGER NOT NULL DEFAULT 0, priority INTEGER NOT NULL DEFAULT 30, active
  INTEGER NOT NULL DEFAULT 1, spread_evenly INTEGER NOT NULL DEFAULT 0, skip_failed_underwriting INTEGER NOT
  NULL DEFAULT 0, created_at TEXT, updated_at TEXT);
INSERT INTO campaign_types(id, name, target_all_contacts, priority) VALUES (1, 'newsletter', 1, 30),
  (2, 'carrier_update', 1, 20);
CREATE TABLE campaign_instances(id INTEGER PRIMARY KEY, campaign_type TEXT NOT NULL, instance_name TEXT NOT
  NULL, email_template TEXT, sms_template TEXT, active_start_date TEXT, active_end_date TEXT,
  spread_start_date TEXT, spread_end_date TEXT, target_states TEXT, target_carriers TEXT, metadata TEXT,
  created_at TEXT, updated_at TEXT);
INSERT INTO campaign_instances(id, campaign_type, instance_name, active_start_date, active_end_date) VALUES
  (5, 'newsletter', 'June news', '2025-06-01', '2025-06-30'),
  (6, 'carrier_update', 'Carrier news', '06/01/2025', NULL),
  (9, 'no_such_type', 'Broken', NULL, NULL);
CREATE TABLE email_suppressions(id INTEGER PRIMARY KEY, email TEXT NOT NULL, reason TEXT NOT NULL, note TEXT,
  created_at DATETIME DEFAULT CURRENT_TIMESTAMP, created_by TEXT);
INSERT INTO email_suppressions(email, reason, created_at) VALUES (' C2@Example.com ', 'unsubscribed',
  '2025-03-03 10:00:00');
CREATE TABLE email_send_tracking(id INTEGER PRIMARY KEY AUTOINCREMENT, org_id INTEGER NOT NULL DEFAULT 1,
  contact_id INTEGER NOT NULL, email_type TEXT NOT NULL, scheduled_date TEXT NOT NULL, send_status TEXT NOT NULL,
  batch_id TEXT NOT NULL DEFAULT 'x');
INSERT INTO email_send_tracking(contact_id, email_type, scheduled_date, send_status) VALUES
  (4, 'birthday', '2025-01-01', 'Bounced'), (1, 'aep', '2024-09-01', 'delivered');
)SQL";
}

} // namespace CampaignFixture
