"""The session's state as the window shows it, without Qt: one enum for computing and one
for the replay, from which the toolbar's texts and the status field are looked up."""

from __future__ import annotations

from enum import Enum


class RunState(Enum):
    IDLE = "idle"  # no session yet (the first one starts once the event loop runs)
    PREPARING = "preparing"  # data, surface and setup are being made, paused at iteration 0
    READY = "ready"  # paused at iteration 0
    RUNNING = "running"  # computing (or preparing, to compute at once)
    PAUSED = "paused"  # paused after iteration 0
    FINISHED = "finished"  # every run ended, or the session was stopped
    FAILED = "failed"  # the session could not go on (the message bar says why)


class Replay(Enum):
    LIVE = "live"  # the playhead is at the computed head and follows it
    HELD = "held"  # behind the head, still
    PLAYING = "playing"  # behind the head, playing the recording forward


def paused_state(has_snapshot: bool, clock_epochs: float) -> RunState:
    """A paused session: preparing, ready at iteration 0, or paused further on."""
    if not has_snapshot:
        return RunState.PREPARING
    return RunState.READY if clock_epochs == 0 else RunState.PAUSED


def can_resume(state: RunState) -> bool:
    """Whether Run continues this session (else it starts the config again from iteration 0)."""
    return state in (RunState.PREPARING, RunState.READY, RunState.RUNNING, RunState.PAUSED)
