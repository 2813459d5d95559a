-- Accounts are created with sql_log_bin=0 so that replicas never replay account-table DML
-- (mysql.user is a view on 10.4+ replicas).
SET sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'repl'@'%' IDENTIFIED BY 'repl_pass';
GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'%';
GRANT ALL ON *.* TO 'sbtest'@'%';
SET sql_log_bin = 1;
