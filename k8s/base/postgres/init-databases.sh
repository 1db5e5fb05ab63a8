#!/usr/bin/env bash
# Creates one database and one login role of the same name per service, the first time PostgreSQL
# starts on an empty data directory (the image runs /docker-entrypoint-initdb.d/*.sh then, never again).
# Used by docker-compose.yml and by the postgres StatefulSet (k8s/base/postgres).
#
#   STOREFRONT_DATABASES      space-separated names, e.g. "storefront_auth storefront_users"
#   DATABASE_PASSWORDS_DIR    one file per name holding that role's password (compose secrets or a
#                             projected Secret volume); default /run/secrets/database-passwords
set -euo pipefail

passwords="${DATABASE_PASSWORDS_DIR:-/run/secrets/database-passwords}"
[ -n "${STOREFRONT_DATABASES:-}" ] || { echo "init-databases: STOREFRONT_DATABASES is empty" >&2; exit 1; }

for name in $STOREFRONT_DATABASES; do
  [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || { echo "init-databases: invalid database name '$name'" >&2; exit 1; }
  file="$passwords/$name"
  [ -s "$file" ] || { echo "init-databases: no password for $name (expected the file $file)" >&2; exit 1; }
  echo "init-databases: creating role and database $name"
  # psql variables quote the name (:"name") and the password (:'password'): nothing is spliced into SQL.
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
    -v name="$name" -v password="$(cat "$file")" <<'SQL'
CREATE ROLE :"name" LOGIN PASSWORD :'password';
CREATE DATABASE :"name" OWNER :"name";
REVOKE ALL ON DATABASE :"name" FROM PUBLIC;
SQL
done
