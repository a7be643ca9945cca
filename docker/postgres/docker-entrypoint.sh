#!/bin/sh
# Creates the cluster on first start from POSTGRES_USER (default postgres), POSTGRES_PASSWORD
# (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: the user's name) and
# POSTGRES_HOST_AUTH_METHOD (default scram-sha-256: how TCP clients authenticate), as the official
# image does, then runs the server in the foreground.
set -eu

if [ "${1#-}" != "$1" ]; then
	set -- postgres "$@"
fi
if [ "$1" != postgres ]; then
	exec "$@"
fi
shift

user=${POSTGRES_USER:-postgres}
database=${POSTGRES_DB:-$user}
auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
		echo "POSTGRES_PASSWORD is not set: it is the password of POSTGRES_USER ($user)" >&2
		exit 1
	fi
	pwfile=$(mktemp)
	printf '%s\n' "${POSTGRES_PASSWORD:-}" > "$pwfile"
	initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host="$auth" \
		--encoding=UTF8 >/dev/null
	rm -f "$pwfile"
	echo "host all all all $auth" >> "$PGDATA/pg_hba.conf"
	# The initialisation server listens on the Unix socket only, as the official image's does.
	pg_ctl --wait --silent --options="-c listen_addresses=''" start
	if [ "$database" != postgres ]; then
		psql --quiet --username="$user" --dbname=postgres --set ON_ERROR_STOP=1 --set db="$database" <<-'SQL'
			CREATE DATABASE :"db";
		SQL
	fi
	pg_ctl --wait --silent --mode=fast stop
	echo "PostgreSQL init process complete; ready for start up."
fi

exec postgres -c listen_addresses='*' "$@"
