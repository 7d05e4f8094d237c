import ApprovalsList from './commands/approvals-list.ts';
import Approve from './commands/approve.ts';
import AuditExport from './commands/audit-export.ts';
import AuditList from './commands/audit-list.ts';
import CredentialsDelete from './commands/credentials-delete.ts';
import CredentialsList from './commands/credentials-list.ts';
import CredentialsRotateKey from './commands/credentials-rotate-key.ts';
import CredentialsSet from './commands/credentials-set.ts';
import NodesList from './commands/nodes-list.ts';
import NodesNew from './commands/nodes-new.ts';
import NodesShow from './commands/nodes-show.ts';
import Reject from './commands/reject.ts';
import RunCommand from './commands/run.ts';
import RunsCancel from './commands/runs-cancel.ts';
import RunsExport from './commands/runs-export.ts';
import RunsList from './commands/runs-list.ts';
import RunsPause from './commands/runs-pause.ts';
import RunsResume from './commands/runs-resume.ts';
import RunsRetry from './commands/runs-retry.ts';
import RunsShow from './commands/runs-show.ts';
import RunsWatch from './commands/runs-watch.ts';
import SchedulesList from './commands/schedules-list.ts';
import SchedulesPause from './commands/schedules-pause.ts';
import SchedulesResume from './commands/schedules-resume.ts';
import SchedulesTrigger from './commands/schedules-trigger.ts';
import UsersCreate from './commands/users-create.ts';
import UsersList from './commands/users-list.ts';
import WorkflowActivate from './commands/workflow-activate.ts';
import WorkflowArchive from './commands/workflow-archive.ts';
import WorkflowDeactivate from './commands/workflow-deactivate.ts';
import WorkflowDiff from './commands/workflow-diff.ts';
import WorkflowList from './commands/workflow-list.ts';
import WorkflowPull from './commands/workflow-pull.ts';
import WorkflowPush from './commands/workflow-push.ts';
import WorkflowUnarchive from './commands/workflow-unarchive.ts';
import WorkflowVersions from './commands/workflow-versions.ts';

/** oclif's explicit command strategy: no directory scan at start-up, which keeps `flowforge` fast. */
export const COMMANDS = {
  'workflow:push': WorkflowPush,
  'workflow:list': WorkflowList,
  'workflow:activate': WorkflowActivate,
  'workflow:deactivate': WorkflowDeactivate,
  'workflow:versions': WorkflowVersions,
  'workflow:diff': WorkflowDiff,
  'workflow:pull': WorkflowPull,
  'workflow:archive': WorkflowArchive,
  'workflow:unarchive': WorkflowUnarchive,
  run: RunCommand,
  'runs:list': RunsList,
  'runs:show': RunsShow,
  'runs:watch': RunsWatch,
  'runs:cancel': RunsCancel,
  'runs:pause': RunsPause,
  'runs:resume': RunsResume,
  'runs:retry': RunsRetry,
  'runs:export': RunsExport,
  'schedules:list': SchedulesList,
  'schedules:pause': SchedulesPause,
  'schedules:resume': SchedulesResume,
  'schedules:trigger': SchedulesTrigger,
  'approvals:list': ApprovalsList,
  approve: Approve,
  reject: Reject,
  'nodes:list': NodesList,
  'nodes:show': NodesShow,
  'nodes:new': NodesNew,
  'credentials:set': CredentialsSet,
  'credentials:list': CredentialsList,
  'credentials:delete': CredentialsDelete,
  'credentials:rotate-key': CredentialsRotateKey,
  'users:create': UsersCreate,
  'users:list': UsersList,
  'audit:list': AuditList,
  'audit:export': AuditExport,
};
