//! Events per second on worlds of 1,000 and 1,000,000 processes, with fork / exit / reap /
//! reparent mixes that keep the world's size steady. Goal: ≥ 5 M events/s on one core, and the
//! per-event cost at 1 M within 2× of that at 1 k.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{criterion_group, BenchmarkId, Criterion, Throughput};
    use pauselab_core::{Event, NsKinds, Outcome, Pid, WaitTarget, World};

    /// Events applied by one call of [`mix`].
    const EVENTS_PER_MIX: u64 = 12;

    fn fork(world: &mut World, parent: Pid) -> Pid {
        let outcomes = world
            .apply(Event::Fork {
                pid: parent,
                new: NsKinds::EMPTY,
            })
            .expect("fork");
        match outcomes[0] {
            Outcome::Forked { child, .. } => child,
            _ => unreachable!("a fork reports its child first"),
        }
    }

    /// A host with `size` processes: init, then parents with 100 children each.
    pub fn world_of(size: usize) -> (World, Vec<Pid>) {
        let mut world = World::new();
        let mut parents = Vec::new();
        while world.len() < size {
            let parent = fork(&mut world, Pid(1));
            parents.push(parent);
            for _ in 0..99 {
                if world.len() >= size {
                    break;
                }
                fork(&mut world, parent);
            }
        }
        (world, parents)
    }

    /// Twelve events that leave the world as large as it was: a child forks, exits and is
    /// reaped; a middle process forks two children and exits, they are reparented to init,
    /// exit, and init and the parent reap them all.
    pub fn mix(world: &mut World, parent: Pid) {
        let ok = |world: &mut World, event| {
            world.apply(event).expect("benchmark events are valid");
        };
        let child = fork(world, parent);
        ok(
            world,
            Event::Exit {
                pid: child,
                code: 0,
            },
        );
        ok(
            world,
            Event::Wait {
                pid: parent,
                target: WaitTarget::Any,
                nohang: true,
            },
        );
        let middle = fork(world, parent);
        let a = fork(world, middle);
        let b = fork(world, middle);
        ok(
            world,
            Event::Exit {
                pid: middle,
                code: 0,
            },
        ); // a and b go to init (K13)
        ok(world, Event::Exit { pid: a, code: 0 });
        ok(world, Event::Exit { pid: b, code: 0 });
        ok(
            world,
            Event::Wait {
                pid: Pid(1),
                target: WaitTarget::Any,
                nohang: true,
            },
        );
        ok(
            world,
            Event::Wait {
                pid: Pid(1),
                target: WaitTarget::Any,
                nohang: true,
            },
        );
        ok(
            world,
            Event::Wait {
                pid: parent,
                target: WaitTarget::Pid(middle),
                nohang: true,
            },
        );
    }

    fn events(c: &mut Criterion) {
        let mut group = c.benchmark_group("events");
        group.throughput(Throughput::Elements(EVENTS_PER_MIX));
        group.sample_size(20);
        for size in [1_000, 1_000_000] {
            let (mut world, parents) = world_of(size);
            let mut next = 0;
            group.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, _| {
                b.iter(|| {
                    next = (next + 1) % parents.len();
                    mix(&mut world, parents[next]);
                })
            });
            assert_eq!(world.len(), size, "the mix keeps the world's size");
        }
        group.finish();
    }

    criterion_group!(benches, events);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(bench::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
