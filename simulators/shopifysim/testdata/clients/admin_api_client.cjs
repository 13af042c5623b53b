// Runs Shopify's official Node client, @shopify/admin-api-client, against
// the Shopify simulator, configured as its users configure it for a shop:
// storeDomain, apiVersion and accessToken, with customFetchApi sending the
// shop's requests to the simulator's address instead of https://{shop}.
// It runs a products paging query, an inventory query that selects
// InventoryItem.variant, a metafieldsSet and an inventorySetQuantities,
// and prints what it saw as one JSON line; any error exits non-zero.
// Environment: CLIENT_MODULES (the folder holding node_modules),
// SIM_URL, SHOP, TOKEN, API_VERSION.
'use strict';
const path = require('node:path');
const {createAdminApiClient} = require(path.join(process.env.CLIENT_MODULES, 'node_modules', '@shopify', 'admin-api-client'));

const shop = process.env.SHOP;
const client = createAdminApiClient({
  storeDomain: shop,
  apiVersion: process.env.API_VERSION,
  accessToken: process.env.TOKEN,
  customFetchApi: (url, init) => fetch(url.replace(`https://${shop}`, process.env.SIM_URL), init),
  logger: () => {},
});

async function request(query, variables) {
  const {data, errors, extensions} = await client.request(query, {variables});
  if (errors) {
    throw new Error(JSON.stringify(errors));
  }
  if (!extensions || !extensions.cost) {
    throw new Error('no cost extension');
  }
  return data;
}

async function main() {
  const seen = {products: 0, pages: 0};
  let after = null;
  let firstProduct = null;
  for (;;) {
    const data = await request(
      `query Products($first: Int!, $after: String) {
        products(first: $first, after: $after) {
          edges { cursor node { id title variants(first: 5) { nodes { id sku } } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      {first: 2, after},
    );
    seen.pages++;
    seen.products += data.products.edges.length;
    firstProduct = firstProduct || data.products.edges[0].node.id;
    if (!data.products.pageInfo.hasNextPage) break;
    after = data.products.pageInfo.endCursor;
  }

  const inv = await request(
    `query Inventory($first: Int!) {
      inventoryItems(first: $first) {
        nodes {
          id sku
          variant { id sku product { id } }
          inventoryLevels(first: 5) { nodes { location { id } quantities(names: ["available"]) { name quantity } } }
        }
      }
    }`,
    {first: 3},
  );
  const item = inv.inventoryItems.nodes[0];
  if (!item.variant || item.variant.sku !== item.sku) throw new Error('inventory item without its variant: ' + JSON.stringify(item));
  seen.variantSku = item.variant.sku;

  const mf = await request(
    `mutation Set($metafields: [MetafieldsSetInput!]!) {
      metafieldsSet(metafields: $metafields) {
        metafields { id namespace key value compareDigest }
        userErrors { field message code elementIndex }
      }
    }`,
    {metafields: [{ownerId: firstProduct, namespace: 'erp', key: 'id', type: 'single_line_text_field', value: 'E-42'}]},
  );
  if (mf.metafieldsSet.userErrors.length) throw new Error(JSON.stringify(mf.metafieldsSet.userErrors));
  seen.metafield = mf.metafieldsSet.metafields[0].value;

  const level = item.inventoryLevels.nodes[0];
  const set = await request(
    `mutation Set($key: String!, $input: InventorySetQuantitiesInput!) {
      inventorySetQuantities(input: $input) @idempotent(key: $key) {
        inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } }
        userErrors { field message code }
      }
    }`,
    {key: 'node-client-1', input: {name: 'available', reason: 'correction', quantities: [{
      inventoryItemId: item.id, locationId: level.location.id,
      quantity: level.quantities[0].quantity + 5, changeFromQuantity: level.quantities[0].quantity,
    }]}},
  );
  if (set.inventorySetQuantities.userErrors.length) throw new Error(JSON.stringify(set.inventorySetQuantities.userErrors));
  seen.delta = set.inventorySetQuantities.inventoryAdjustmentGroup.changes[0].delta;
  console.log(JSON.stringify(seen));
}

main().catch((err) => {
  console.error(err.message || String(err));
  process.exit(1);
});
