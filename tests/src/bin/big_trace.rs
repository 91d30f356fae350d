//! `big-trace [PROCESSES] [STEPS]`: writes a trace over a world of PROCESSES processes
//! (default 1,000) with STEPS steps (default 200) to stdout, for `bench/web.mjs`.
//! `big-trace link [PROCESSES]`: writes a playground link whose one act makes a node of about
//! PROCESSES processes, for the benchmark of a typed line.

fn main() {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("link") {
        args.next();
        let processes = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
        println!("{}", pauselab_tests::big_trace::big_node_link(processes));
        return;
    }
    let processes = args.next().and_then(|a| a.parse().ok()).unwrap_or(1_000);
    let steps = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);
    println!("{}", pauselab_tests::big_trace::big_trace(processes, steps));
}
