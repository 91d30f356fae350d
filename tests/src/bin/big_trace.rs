//! `big-trace [PROCESSES] [STEPS]`: writes a trace over a world of PROCESSES processes
//! (default 1,000) with STEPS steps (default 200) to stdout, for `bench/web.mjs`.

fn main() {
    let mut args = std::env::args().skip(1);
    let processes = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let steps = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    println!("{}", pauselab_tests::big_trace::big_trace(processes, steps));
}
