// `node --import ./test/helpers/record-modules.mjs`: appends the URL of every module the process
// resolves to the file named by PSA_LINK_MODULE_LOG, so a test can read a process's module graph.
// Registered after tsx, so it sees TypeScript modules as tsx resolves them.
import { register } from 'node:module'

register(new URL('./record-modules-hooks.mjs', import.meta.url))
