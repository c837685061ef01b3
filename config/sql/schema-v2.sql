-- Directory schema version 2: DKIM signing keys (our own table; PostfixAdmin has none).
--
-- One row per domain and selector. The active row of a domain signs its outgoing mail; making a
-- new key (rotation) deactivates the others but keeps them, so their DNS records can be left
-- published until mail signed with them has been delivered. A database without this table (a
-- PostfixAdmin database opened with manage-schema: false) simply signs nothing.
--
-- private_key: PEM "PRIVATE KEY" (PKCS#8); public_key: base64 of the DER SubjectPublicKeyInfo,
-- exactly the p= value of the DNS record.
CREATE TABLE IF NOT EXISTS mailserver_dkim_key (
  domain varchar(255) NOT NULL,
  selector varchar(63) NOT NULL,
  private_key text NOT NULL,
  public_key text NOT NULL,
  created datetime NOT NULL,
  active tinyint(1) NOT NULL DEFAULT 1,
  PRIMARY KEY (domain, selector)
);
