-- Failed (and in-flight) sign-in attempts per email, known or not, for throttling. Rows older than the
-- throttling window are purged.
CREATE TABLE login_failures (
    id        bigint       GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email     varchar(254) NOT NULL,
    failed_at timestamptz  NOT NULL DEFAULT now()
);

CREATE INDEX login_failures_email_failed_at_idx ON login_failures (email, failed_at);
CREATE INDEX login_failures_failed_at_idx ON login_failures (failed_at);
