"""What a job's page shows of its progress (`Job.percent`, `Job.running`): never past 100 %, 100 % once done
whatever was counted, 0 % before anything is counted, and which states still poll."""

from __future__ import annotations

import pytest

from ntm.tasks.models import Job

State = Job.State


@pytest.mark.parametrize(
    ("state", "done", "total", "percent"),
    [(State.QUEUED, 0, 0, 0), (State.RUNNING, 1, 3, 33), (State.RUNNING, 2, 3, 67), (State.RETRYING, 5, 4, 100),
     (State.DONE, 0, 0, 100), (State.DONE, 1, 10, 100), (State.FAILED, 7, 10, 70)],
    ids=["nothing counted yet", "a third", "rounded up", "more steps than announced", "done without steps",
         "done early", "failed part-way"],
)
def test_progress_is_a_whole_percentage_within_bounds(state, done, total, percent):
    assert Job(state=state, done=done, total=total).percent == percent


def test_the_page_polls_until_the_job_is_done_or_failed():
    assert {s for s in State if Job(state=s).running} == {State.QUEUED, State.RUNNING, State.RETRYING}
