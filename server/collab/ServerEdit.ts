// Transaction origin of a change the server makes on someone's behalf (the content API's PUT,
// say), as opposed to one a client sent over its socket (a Connection) or one relayed from
// another instance. It names the account behind the change, so the row projection can record
// the last editor of a document changed through the API as it does for one changed in the editor.

export class ServerEdit {
  constructor(
    /** What made the change, for logs and tests ("content-api"). */
    readonly source: string,
    /** The signed-in account behind it; null for a share-link guest (guests are not recorded). */
    readonly accountId: string | null,
  ) {}
}
