-- A database as PostfixAdmin 3.x leaves it on MariaDB, written for this test in that layout:
-- MySQL-only syntax (backticks, KEY, ENGINE, COMMENT), its extra columns and tables, the
-- special 'ALL' domain, md5crypt/SHA512-CRYPT/BLF-CRYPT passwords, an alias domain that also
-- has its own domain row, and none of our mailserver_ tables.
CREATE TABLE `domain` (
  `domain` varchar(255) NOT NULL,
  `description` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
  `aliases` int(10) NOT NULL DEFAULT '0',
  `mailboxes` int(10) NOT NULL DEFAULT '0',
  `maxquota` bigint(20) NOT NULL DEFAULT '0',
  `quota` bigint(20) NOT NULL DEFAULT '0',
  `transport` varchar(255) DEFAULT NULL,
  `backupmx` tinyint(1) NOT NULL DEFAULT '0',
  `created` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `modified` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `active` tinyint(1) NOT NULL DEFAULT '1',
  `password_expiry` int(11) DEFAULT '0',
  PRIMARY KEY (`domain`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Domains';
CREATE TABLE `mailbox` (
  `username` varchar(255) NOT NULL,
  `password` varchar(255) NOT NULL,
  `name` varchar(255) CHARACTER SET utf8mb4 NOT NULL,
  `maildir` varchar(255) NOT NULL,
  `quota` bigint(20) NOT NULL DEFAULT '0',
  `local_part` varchar(255) NOT NULL,
  `domain` varchar(255) NOT NULL,
  `created` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `modified` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `active` tinyint(1) NOT NULL DEFAULT '1',
  `phone` varchar(30) NOT NULL DEFAULT '',
  `email_other` varchar(255) NOT NULL DEFAULT '',
  `token` varchar(255) NOT NULL DEFAULT '',
  `token_validity` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `password_expiry` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `totp_secret` varchar(255) DEFAULT NULL,
  PRIMARY KEY (`username`),
  KEY `domain` (`domain`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Mailboxes';
CREATE TABLE `alias` (
  `address` varchar(255) NOT NULL,
  `goto` text NOT NULL,
  `domain` varchar(255) NOT NULL,
  `created` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `modified` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `active` tinyint(1) NOT NULL DEFAULT '1',
  PRIMARY KEY (`address`),
  KEY `domain` (`domain`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Aliases';
CREATE TABLE `alias_domain` (
  `alias_domain` varchar(255) NOT NULL,
  `target_domain` varchar(255) NOT NULL,
  `created` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `modified` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `active` tinyint(1) NOT NULL DEFAULT '1',
  PRIMARY KEY (`alias_domain`),
  KEY `active` (`active`),
  KEY `target_domain` (`target_domain`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Domain Aliases';
CREATE TABLE `admin` (
  `username` varchar(255) NOT NULL,
  `password` varchar(255) NOT NULL,
  `superadmin` tinyint(1) NOT NULL DEFAULT '0',
  `created` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `modified` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `active` tinyint(1) NOT NULL DEFAULT '1',
  PRIMARY KEY (`username`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Virtual Admins';
CREATE TABLE `domain_admins` (
  `username` varchar(255) NOT NULL,
  `domain` varchar(255) NOT NULL,
  `created` datetime NOT NULL DEFAULT '2000-01-01 00:00:00',
  `active` tinyint(1) NOT NULL DEFAULT '1',
  `id` int(11) NOT NULL AUTO_INCREMENT,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='Postfix Admin - Domain Admins';
CREATE TABLE `config` (
  `id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(20) NOT NULL DEFAULT '',
  `value` varchar(20) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`),
  UNIQUE KEY `name` (`name`)
) ENGINE=InnoDB DEFAULT CHARSET=latin1 COMMENT='PostfixAdmin settings';
INSERT INTO `config` (`name`, `value`) VALUES ('version', '1844');
INSERT INTO `domain` (`domain`, `description`, `transport`) VALUES ('ALL', '', NULL);
INSERT INTO `domain_admins` (`username`, `domain`) VALUES ('admin@pfa.test', 'ALL');
INSERT INTO `domain` (`domain`, `description`, `transport`, `created`, `modified`) VALUES ('pfa.test', 'PostfixAdmin domain', 'virtual', NOW(), NOW());
INSERT INTO `domain` (`domain`, `description`, `transport`, `created`, `modified`) VALUES ('pfa-alias.test', '', 'virtual', NOW(), NOW());
INSERT INTO `alias_domain` (`alias_domain`, `target_domain`, `created`, `modified`) VALUES ('pfa-alias.test', 'pfa.test', NOW(), NOW());
INSERT INTO `mailbox` (`username`, `password`, `name`, `maildir`, `quota`, `local_part`, `domain`, `created`, `modified`) VALUES ('md5@pfa.test', '$1$5f2b3c5a$XiUIZOiaKfSeC6jD7vcom0', 'Md5 User', 'pfa.test/md5/', 1048576, 'md5', 'pfa.test', NOW(), NOW());
INSERT INTO `mailbox` (`username`, `password`, `name`, `maildir`, `quota`, `local_part`, `domain`, `created`, `modified`) VALUES ('sha@pfa.test', '{SHA512-CRYPT}$6$nq9GFCqYM2BxkyM/$w4DwLW7jEMe.B4P8.9hiyYrWRC0CxxZE2rKWKxDrJAARm9pggW40aO2kQ4BlfD7Mr3WmGmMx1YCzPEXzlSnim/', 'Sha User', 'pfa.test/sha/', 0, 'sha', 'pfa.test', NOW(), NOW());
INSERT INTO `mailbox` (`username`, `password`, `name`, `maildir`, `quota`, `local_part`, `domain`, `created`, `modified`) VALUES ('blf@pfa.test', '{BLF-CRYPT}$2y$05$ojAjDLhMjoQtq/7osd3XTuYEYL2PtSsSUw3o8w0M6sIwIrc9Xkh4u', 'Blf User', 'pfa.test/blf/', 0, 'blf', 'pfa.test', NOW(), NOW());
INSERT INTO `alias` (`address`, `goto`, `domain`, `created`, `modified`) VALUES ('md5@pfa.test', 'md5@pfa.test', 'pfa.test', NOW(), NOW());
INSERT INTO `alias` (`address`, `goto`, `domain`, `created`, `modified`) VALUES ('sha@pfa.test', 'sha@pfa.test', 'pfa.test', NOW(), NOW());
INSERT INTO `alias` (`address`, `goto`, `domain`, `created`, `modified`) VALUES ('blf@pfa.test', 'blf@pfa.test', 'pfa.test', NOW(), NOW());
INSERT INTO `alias` (`address`, `goto`, `domain`, `created`, `modified`) VALUES ('info@pfa.test', 'md5@pfa.test,sha@pfa.test', 'pfa.test', NOW(), NOW());
INSERT INTO `alias` (`address`, `goto`, `domain`, `created`, `modified`) VALUES ('@pfa.test', 'blf@pfa.test', 'pfa.test', NOW(), NOW());
