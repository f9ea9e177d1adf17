-- One cluster, five databases: no service reads another's tables.
CREATE DATABASE cainghien_gateway;
CREATE DATABASE cainghien_registry;
CREATE DATABASE cainghien_treatment;
CREATE DATABASE cainghien_aftercare;
CREATE DATABASE cainghien_reporting;
