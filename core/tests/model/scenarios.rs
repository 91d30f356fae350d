//! Every guided scenario, checked step by step: a failing expectation names the scenario and
//! the step.

use pauselab_core::scenario::Scenario;

#[test]
fn all_thirteen_scenarios_load() {
    let scenarios = Scenario::all().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenarios.len(), 13);
    let ids: std::collections::BTreeSet<_> = scenarios.iter().map(|s| s.id.clone()).collect();
    assert_eq!(ids.len(), 13, "ids are unique");
}

#[test]
fn every_scenario_step_meets_its_expectations() {
    let mut failures = Vec::new();
    for scenario in Scenario::all().unwrap_or_else(|e| panic!("{e}")) {
        if let Err(error) = scenario.check() {
            failures.push(error.to_string());
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
