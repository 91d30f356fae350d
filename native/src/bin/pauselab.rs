//! `pauselab`: real pods, live process trees, traces, and the model checked against the kernel.

fn main() -> anyhow::Result<()> {
    anyhow::bail!("pauselab: no command yet")
}
