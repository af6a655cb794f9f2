// What an edit of a connection keeps of its stored secrets. A password is bound to the server it
// was entered for and to how that server is verified (see bindingMismatch): an edit that changes the
// URL, the TLS verification or the TLS server name must not carry it over, or any caller of the edit
// command could send it elsewhere.
import { bindingMismatch, secretsBinding, type Connection } from './connection';

/**
 * The connection to save after an edit: `edited` as built from the caller's arguments, with the
 * stored password of `before` only when none was given and the secrets' binding still holds.
 */
export function withKeptPassword(before: Connection, edited: Connection): Connection {
  if (edited.settings.auth !== 'basic' || edited.secrets.password !== undefined) return edited;
  const keep =
    before.secrets.password !== undefined &&
    bindingMismatch(secretsBinding(before.settings), edited.settings) === undefined;
  return keep
    ? { settings: edited.settings, secrets: { ...edited.secrets, password: before.secrets.password } }
    : edited;
}
