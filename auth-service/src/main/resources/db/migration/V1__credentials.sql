-- One credential per user. Emails are stored lower-case. A registration writes its row PENDING with
-- the user id it then asks user-service to create, and marks it ACTIVE once the profile exists, so a
-- retried registration finds the same id again; only ACTIVE credentials can sign in.
CREATE TABLE credentials (
    user_id       uuid         PRIMARY KEY,
    email         varchar(254) NOT NULL,
    password_hash varchar(255) NOT NULL,
    status        varchar(16)  NOT NULL,
    created_at    timestamptz  NOT NULL DEFAULT now(),
    updated_at    timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT credentials_status_known CHECK (status IN ('PENDING', 'ACTIVE')),
    CONSTRAINT credentials_email_lower_case CHECK (email = lower(email))
);

CREATE UNIQUE INDEX credentials_email_key ON credentials (email);
