//! Reference data and the benchmarks (`linli seed`, `linli bench`).

pub mod bench;
pub mod bench_consult;
pub mod bench_sorting;
pub mod seed;
