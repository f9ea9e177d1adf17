"""Every event type any service publishes, by name: the one list of them.

A type is `<publisher>.<what happened>`; its payload model and schema version are in
`services.contracts.catalogue`.
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    # registry: a person's file (snapshots carry the person's row version)
    person_registered = "person.registered"
    person_updated = "person.updated"
    person_closed = "person.closed"
    person_status_changed = "person.status_changed"
    person_absent = "person.absent"
    person_returned = "person.returned"
    person_moved = "person.moved"
    person_arrival_acknowledged = "person.arrival_acknowledged"
    person_determination_recorded = "person.determination_recorded"
    person_drug_test_recorded = "person.drug_test_recorded"
    person_commitment_signed = "person.commitment_signed"
    person_checkin_recorded = "person.checkin_recorded"
    # registry: identity (issue 9 publishes them)
    person_merged = "person.merged"
    person_unmerged = "person.unmerged"

    # registry: administrative units as shared data
    unit_created = "unit.created"
    unit_renamed = "unit.renamed"
    unit_moved = "unit.moved"
    unit_merged = "unit.merged"
    unit_successor_set = "unit.successor_set"

    # treatment: episodes (registered → admitted → active → ended)
    treatment_episode_registered = "treatment.episode_registered"
    treatment_episode_admitted = "treatment.episode_admitted"
    treatment_episode_started = "treatment.episode_started"
    treatment_episode_transferred = "treatment.episode_transferred"
    treatment_episode_completed = "treatment.episode_completed"
    treatment_episode_discharged = "treatment.episode_discharged"
    treatment_episode_ended = "treatment.episode_ended"
    treatment_flag_raised = "treatment.flag_raised"
    # treatment: compulsory-rehab dossiers (draft → complete → submitted → decided | refused
    # → executed)
    treatment_dossier_opened = "treatment.dossier_opened"
    treatment_dossier_completed = "treatment.dossier_completed"
    treatment_dossier_submitted = "treatment.dossier_submitted"
    treatment_dossier_decided = "treatment.dossier_decided"
    treatment_dossier_refused = "treatment.dossier_refused"
    treatment_dossier_executed = "treatment.dossier_executed"

    # after-care: cases
    aftercare_case_opened = "aftercare.case_opened"
    aftercare_case_closed = "aftercare.case_closed"
    aftercare_relapse_recorded = "aftercare.relapse_recorded"
    aftercare_supervisor_assigned = "aftercare.supervisor_assigned"
    aftercare_contact_recorded = "aftercare.contact_recorded"
    aftercare_support_recorded = "aftercare.support_recorded"

    # reporting: target plans and report submissions
    target_plan_updated = "target.plan_updated"
    report_submitted = "report.submitted"
    report_approved = "report.approved"
    report_rejected = "report.rejected"
    report_reopened = "report.reopened"
    report_amended = "report.amended"
