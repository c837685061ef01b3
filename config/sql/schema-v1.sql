-- Directory schema version 1: domains, accounts, aliases and alias domains.
--
-- The first four tables are PostfixAdmin's core tables, with its column names and SQL types, so
-- a database that PostfixAdmin manages works as it is (point the server at it with
-- manage-schema: false), and PostfixAdmin, Postfix and Dovecot can still read this one.
-- The same statements run on MariaDB/MySQL and on the embedded H2 (MODE=MariaDB).
-- Every statement is idempotent: running it over an existing PostfixAdmin database changes nothing.
--
-- Values are stored lower-case (the server lower-cases on write, as PostfixAdmin does), because
-- H2 compares case-sensitively where MariaDB's default collation does not.

CREATE TABLE IF NOT EXISTS domain (
  domain varchar(255) NOT NULL,
  description varchar(255) NOT NULL DEFAULT '',
  aliases int NOT NULL DEFAULT 0,
  mailboxes int NOT NULL DEFAULT 0,
  maxquota bigint NOT NULL DEFAULT 0,
  quota bigint NOT NULL DEFAULT 0,
  transport varchar(255) NOT NULL DEFAULT 'virtual',
  backupmx tinyint(1) NOT NULL DEFAULT 0,
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (domain)
);

-- quota is in bytes, 0 = unlimited; maildir is relative to storage.maildir-root, "<domain>/<localpart>/".
CREATE TABLE IF NOT EXISTS mailbox (
  username varchar(255) NOT NULL,
  password varchar(255) NOT NULL,
  name varchar(255) NOT NULL DEFAULT '',
  maildir varchar(255) NOT NULL,
  quota bigint NOT NULL DEFAULT 0,
  local_part varchar(255) NOT NULL,
  domain varchar(255) NOT NULL,
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (username)
);
CREATE INDEX IF NOT EXISTS mailbox_domain ON mailbox (domain);

-- goto is a comma-separated list of addresses. An account has a row here too, with goto equal
-- to its own address, as PostfixAdmin writes it. address "@domain" is the domain's catch-all.
CREATE TABLE IF NOT EXISTS alias (
  address varchar(255) NOT NULL,
  goto text NOT NULL,
  domain varchar(255) NOT NULL,
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (address)
);
CREATE INDEX IF NOT EXISTS alias_domain_idx ON alias (domain);

-- Mail to x@alias_domain goes to x@target_domain.
CREATE TABLE IF NOT EXISTS alias_domain (
  alias_domain varchar(255) NOT NULL,
  target_domain varchar(255) NOT NULL,
  created datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  modified datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  active tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (alias_domain)
);
CREATE INDEX IF NOT EXISTS alias_domain_target ON alias_domain (target_domain);

-- Our own tables carry the mailserver_ prefix.
CREATE TABLE IF NOT EXISTS mailserver_schema_version (
  version int NOT NULL,
  description varchar(255) NOT NULL,
  applied datetime NOT NULL,
  PRIMARY KEY (version)
);

-- PostfixAdmin has no message-count quota. No row (or 0) means unlimited.
CREATE TABLE IF NOT EXISTS mailserver_mailbox_limit (
  username varchar(255) NOT NULL,
  max_messages bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (username)
);
