/* jpage: renders <datastore> records client-side */
