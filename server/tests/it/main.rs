//! The server's integration tests: one binary (linking the server once), a module per capability
//! or concern, and the helpers they share in `common`.

mod api_v1;
mod auth;
mod cases;
mod cli;
mod common;
mod consult;
mod consult_http;
mod export;
mod hardening;
mod http;
mod layers;
mod media_s3;
mod open311;
mod points;
mod rbac;
mod relay;
mod shifts;
mod signin;
mod sizes;
mod sms;
mod sorting;
mod storage;
mod web;
mod workflow;
mod workflow_http;
