/** Child process for the lock test: holds the store open until killed. */
import { Store } from "../../src/store/store.ts";

const store = await Store.open({ path: process.argv[2] });
process.stdout.write("open\n");
setInterval(() => store.path, 1000);
