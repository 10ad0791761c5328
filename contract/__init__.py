"""The contract every floor shares: the task config, the errors and their exit codes, the
output columns, and the records that gathering (crawler/) hands to analysis (audits/).

It imports nothing of the project's own, so crawler/, audits/ and toptasks/ all read it one
import away, and a newcomer learns what a task, a page or a finding is in one place.
"""
