-- Users and their roles. Emails are unique regardless of case; listing pages by (created_at, id).
CREATE TABLE users (
    id         uuid PRIMARY KEY,
    name       varchar(100) NOT NULL,
    email      varchar(254) NOT NULL,
    roles      text[]       NOT NULL DEFAULT ARRAY['customer']::text[],
    created_at timestamptz  NOT NULL DEFAULT now(),
    updated_at timestamptz  NOT NULL DEFAULT now(),
    CONSTRAINT users_roles_known CHECK (roles <@ ARRAY['customer', 'admin', 'service']::text[])
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_at_id_idx ON users (created_at, id);
